use std::io::IsTerminal;

fn main() {
    let env = bucketfence::settings::Environment {
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        stdout_tty: std::io::stdout().is_terminal(),
        stderr_tty: std::io::stderr().is_terminal(),
        stdin_tty: std::io::stdin().is_terminal(),
    };
    let status = bucketfence::main_with(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        &mut std::io::stdin().lock(),
        env,
    );
    std::process::exit(status.code());
}
