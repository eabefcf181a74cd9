//! `jianghua completions bash|zsh|fish|elvish|powershell` and `jianghua man`:
//! shell completions and a man page, generated from the clap definitions,
//! so they never disagree with `--help`.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::{Args, Failure};

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Install, for example: `jianghua completions bash > ~/.local/share/bash-completion/completions/jianghua`, \
`jianghua completions zsh > ~/.zfunc/_jianghua`, `jianghua completions fish > ~/.config/fish/completions/jianghua.fish`."
)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `completions`.
pub fn completions(args: CompletionsArgs) -> Result<ExitCode, Failure> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut Args::command(), "jianghua", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `man`: the man page in roff, on stdout.
pub fn man() -> Result<ExitCode, Failure> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(Args::command()).render(&mut out)?;
    for sub in Args::command().get_subcommands() {
        // Each subcommand's options, as sections of the one page.
        let name = sub.get_name().to_owned();
        if name == "help" {
            continue;
        }
        writeln!(out, ".SH \"JIANGHUA {}\"", name.to_uppercase())?;
        let page = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        page.render_description_section(&mut section)?;
        page.render_options_section(&mut section)?;
        // Sub-sections of the command's section, not sections of their own.
        let section = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
        out.write_all(section.as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
