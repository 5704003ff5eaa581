//! Reading files the user points at (policies, plans, backups, account directories) without
//! trusting them: never through a symbolic link, and never more than a bound, so that
//! `/dev/zero` or a multi-gigabyte file cannot exhaust memory.

use std::io::Read;
use std::path::Path;

/// Read `path` as UTF-8 text, refusing links and anything over `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> Result<String, String> {
    let meta = std::fs::symlink_metadata(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if meta.file_type().is_symlink() {
        return Err(format!(
            "`{}` is a symbolic link; bucketfence does not follow it",
            path.display()
        ));
    }
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(format!("`{}` is larger than {limit} bytes", path.display()));
    }
    String::from_utf8(bytes).map_err(|_| format!("`{}` is not UTF-8 text", path.display()))
}

#[cfg(test)]
mod tests {
    use super::read_capped;

    #[test]
    fn caps_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, "x".repeat(100)).unwrap();
        assert!(read_capped(&big, 10).unwrap_err().contains("larger than"));
        assert_eq!(read_capped(&big, 100).unwrap().len(), 100);
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&big, &link).unwrap();
            assert!(read_capped(&link, 1000)
                .unwrap_err()
                .contains("symbolic link"));
        }
        #[cfg(unix)]
        assert!(read_capped(std::path::Path::new("/dev/zero"), 1000)
            .unwrap_err()
            .contains("larger than"));
    }
}
