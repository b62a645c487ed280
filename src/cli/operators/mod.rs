//! `hotline operators`: the roster from a terminal. Secrets (API tokens, PINs) are printed once
//! and stored only as digests; passwords are read without echo.

mod edit;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::operators::credentials::{digest, hash_password, new_pin, new_token};
use crate::operators::pin_key::PinKey;
use crate::operators::{Operator, Role};
use crate::store::{NewOperator, OperatorChange, Store};

/// Options of `hotline operators`.
#[derive(clap::Args, Debug)]
pub struct OperatorsArgs {
    #[command(subcommand)]
    pub command: OperatorsCommand,
    /// Database.
    #[arg(
        long,
        global = true,
        env = "HOTLINE_DATABASE_URL",
        default_value = "sqlite:hotline.db"
    )]
    pub database_url: String,
    /// The call flows, whose category ids operators may be given.
    #[arg(
        long,
        global = true,
        env = "HOTLINE_FLOWS",
        default_value = "call_flows"
    )]
    pub flows: PathBuf,
    /// The server secret that PINs are stored under (the same as the server's).
    #[command(flatten)]
    pub secret: crate::config::SecretArgs,
}

/// What to do with the roster.
#[derive(Subcommand, Debug)]
pub enum OperatorsCommand {
    /// Add an operator (works the listed categories) or a supervisor (sees everything).
    Add {
        /// Sign-in name.
        name: String,
        /// `operator` or `supervisor`.
        #[arg(long, default_value = "operator", value_parser = parse_role)]
        role: Role,
        /// A category id the operator works; repeat or separate with commas.
        #[arg(long = "category", value_delimiter = ',')]
        categories: Vec<String>,
        /// Their own phone in E.164 (+15551234567): calling the operator line from it
        /// identifies them.
        #[arg(long)]
        phone: Option<String>,
    },
    /// List everyone, with role, categories and whether they are active.
    List,
    /// Set a password for the web console (typed without echo, or the first line of stdin).
    Passwd {
        /// Sign-in name.
        name: String,
    },
    /// Issue an API token; it is shown once.
    Token {
        /// Sign-in name.
        name: String,
        /// What the token is for, e.g. the machine it lives on.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Issue a new eight-digit PIN for the operator phone line; it is shown once.
    Pin {
        /// Sign-in name.
        name: String,
    },
    /// Change someone's role, categories, phone or weekly shifts.
    Edit(edit::EditArgs),
    /// Stop someone working: sign-in, tokens, sessions and the phone line stop at once.
    Disable {
        /// Sign-in name.
        name: String,
    },
    /// Let a disabled person work again (they need a new token), or lift a sign-in lock.
    Enable {
        /// Sign-in name.
        name: String,
    },
}

pub(super) fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("`{text}` is not a role: use operator or supervisor"))
}

/// Where a new password comes from.
pub enum PasswordInput<'a> {
    /// Typed at the terminal, without echo, twice.
    Terminal,
    /// The first line of a reader (a pipe, a file, a test).
    Lines(&'a mut dyn BufRead),
}

/// Runs `hotline operators`, reading any password from `input` and writing to `out`.
pub async fn operators(
    args: &OperatorsArgs,
    input: PasswordInput<'_>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let store = crate::store::open::connect(&args.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                crate::store::without_secrets(&args.database_url)
            )
        })?;
    let now = jiff::Timestamp::now().as_millisecond();
    match &args.command {
        OperatorsCommand::Add {
            name,
            role,
            categories,
            phone,
        } => {
            check_categories(args, *role, categories)?;
            let new = NewOperator {
                name: name.clone(),
                role: *role,
                categories: categories.clone(),
                at: now,
            };
            let added = store.add_operator(&new).await?;
            if let Some(phone) = phone {
                store
                    .update_operator(name, &OperatorChange::Phone(Some(e164(phone)?)))
                    .await?;
            }
            writeln!(out, "added {}", describe(&added))?;
            writeln!(
                out,
                "next: `hotline operators passwd {name}` for the console, `token` for the API, `pin` for the phone line"
            )?;
        }
        OperatorsCommand::List => edit::list(&store, out).await?,
        OperatorsCommand::Passwd { name } => {
            let password = read_password(name, input)?;
            let hash = tokio::task::spawn_blocking(move || hash_password(&password)).await??;
            store
                .update_operator(name, &OperatorChange::Password(hash))
                .await?;
            writeln!(out, "password set for {name}")?;
        }
        OperatorsCommand::Token { name, label } => {
            let operator = active(&store, name).await?;
            let token = new_token("hl_")?;
            store
                .add_token(&operator.id, &digest(&token), label, now)
                .await?;
            writeln!(out, "{token}")?;
            writeln!(
                out,
                "(shown once: store it where the API client can read it)"
            )?;
        }
        OperatorsCommand::Pin { name } => {
            active(&store, name).await?;
            let key = PinKey::from_secret(&args.secret.resolve(&args.database_url)?);
            store.rekey_pins(&key).await?;
            let pin = new_pin()?;
            store
                .update_operator(name, &OperatorChange::Pin(key.digest(&pin)))
                .await?;
            writeln!(out, "{pin}")?;
            writeln!(
                out,
                "(shown once: {name} enters it on the operator line, then #)"
            )?;
        }
        OperatorsCommand::Edit(edit) => edit::edit(args, &store, edit, out).await?,
        OperatorsCommand::Disable { name } => {
            let operator = store
                .update_operator(name, &OperatorChange::Disable(now))
                .await?;
            writeln!(out, "disabled {}", describe(&operator))?;
        }
        OperatorsCommand::Enable { name } => {
            let operator = store.update_operator(name, &OperatorChange::Enable).await?;
            writeln!(out, "enabled {}", describe(&operator))?;
        }
    }
    Ok(())
}

async fn active(store: &Arc<dyn Store>, name: &str) -> anyhow::Result<Operator> {
    match store.sign_in(name).await? {
        Some(found) if found.operator.active => Ok(found.operator),
        Some(_) => bail!("{name} is disabled; `hotline operators enable {name}` first"),
        None => {
            bail!("there is no operator named {name}; `hotline operators list` shows who there is")
        }
    }
}

/// Category ids must exist in the flows, or the operator would silently see nothing.
pub(super) fn check_categories(
    args: &OperatorsArgs,
    role: Role,
    categories: &[String],
) -> anyhow::Result<()> {
    if role == Role::Operator && categories.is_empty() {
        bail!("an operator needs at least one --category (supervisors see every category)");
    }
    if categories.is_empty() {
        return Ok(());
    }
    let flows = crate::catalog::files::load_dir(&args.flows).with_context(|| {
        format!(
            "cannot read the call flows in {} to check the categories (see --flows)",
            args.flows.display()
        )
    })?;
    let mut known: Vec<&str> = flows
        .flows()
        .flat_map(|f| f.categories.keys().map(String::as_str))
        .collect();
    known.sort_unstable();
    known.dedup();
    for category in categories {
        if !known.contains(&category.as_str()) {
            bail!(
                "unknown category `{category}`; the flows define: {}",
                known.join(", ")
            );
        }
    }
    Ok(())
}

pub(super) fn e164(phone: &str) -> anyhow::Result<String> {
    let digits = phone.strip_prefix('+').unwrap_or("");
    if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        bail!(
            "`{phone}` is not an E.164 number: write it as + country code and number, e.g. +15551234567"
        );
    }
    Ok(phone.to_string())
}

fn read_password(name: &str, input: PasswordInput<'_>) -> anyhow::Result<String> {
    match input {
        PasswordInput::Terminal => {
            let first = rpassword::prompt_password(format!("new password for {name}: "))?;
            let again = rpassword::prompt_password("again: ")?;
            if first != again {
                bail!("the two passwords differ; nothing changed");
            }
            Ok(first)
        }
        PasswordInput::Lines(reader) => {
            let mut line = String::new();
            reader
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            Ok(line.trim_end_matches(['\r', '\n']).to_string())
        }
    }
}

pub(super) fn describe(operator: &Operator) -> String {
    let categories = match operator.role {
        Role::Supervisor => "all categories".to_string(),
        Role::Operator => operator.categories.join(","),
    };
    let state = if operator.active { "" } else { "  (disabled)" };
    format!(
        "{:<16} {:<10} {categories}{state}",
        operator.name, operator.role
    )
}
