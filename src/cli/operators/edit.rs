//! `hotline operators edit` and `list`: changing someone's role, categories, phone or weekly
//! shifts, and everyone with their shifts.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use anyhow::bail;

use super::{OperatorsArgs, check_categories, describe, e164, parse_role};
use crate::operators::Role;
use crate::operators::shifts::WeeklyShifts;
use crate::store::{OperatorChange, Store};

/// Options of `hotline operators edit`.
#[derive(clap::Args, Debug)]
pub struct EditArgs {
    /// Sign-in name.
    pub name: String,
    /// `operator` or `supervisor`.
    #[arg(long, value_parser = parse_role)]
    pub role: Option<Role>,
    /// The categories they work (replaces the current list).
    #[arg(long = "category", value_delimiter = ',')]
    pub categories: Vec<String>,
    /// Their phone in E.164.
    #[arg(long, conflicts_with = "no_phone")]
    pub phone: Option<String>,
    /// Forget their phone.
    #[arg(long)]
    pub no_phone: bool,
    /// A weekly shift, days then hours in the default hotline's time zone, e.g.
    /// `mon-fri 09:00-17:00`; repeat or separate with commas (replaces the current shifts).
    #[arg(long = "shift", value_delimiter = ',', conflicts_with = "no_shifts")]
    pub shifts: Vec<String>,
    /// Forget their shifts.
    #[arg(long)]
    pub no_shifts: bool,
}

/// Applies the changes asked for, then says who the operator now is.
pub(super) async fn edit(
    args: &OperatorsArgs,
    store: &Arc<dyn Store>,
    edit: &EditArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let changes = changes(args, edit)?;
    if changes.is_empty() {
        bail!(
            "nothing to change: give --role, --category, --phone, --no-phone, --shift or --no-shifts"
        );
    }
    let mut operator = None;
    for change in &changes {
        operator = Some(store.update_operator(&edit.name, change).await?);
    }
    if let Some(operator) = operator {
        writeln!(out, "changed {}", describe(&operator))?;
    }
    if let Some(OperatorChange::Shifts(shifts)) = changes.last() {
        writeln!(out, "{}", in_words(shifts))?;
    }
    Ok(())
}

/// The changes the options ask for, shifts last; a shift staff wrote wrong is refused with
/// how to write it.
fn changes(args: &OperatorsArgs, edit: &EditArgs) -> anyhow::Result<Vec<OperatorChange>> {
    let mut changes = Vec::new();
    if let Some(role) = edit.role {
        changes.push(OperatorChange::Role(role));
    }
    if !edit.categories.is_empty() {
        check_categories(args, edit.role.unwrap_or(Role::Operator), &edit.categories)?;
        changes.push(OperatorChange::Categories(edit.categories.clone()));
    }
    match (&edit.phone, edit.no_phone) {
        (Some(phone), _) => changes.push(OperatorChange::Phone(Some(e164(phone)?))),
        (None, true) => changes.push(OperatorChange::Phone(None)),
        (None, false) => {}
    }
    if !edit.shifts.is_empty() {
        let shifts = WeeklyShifts::parse(&edit.shifts)?;
        changes.push(OperatorChange::Shifts(shifts));
    } else if edit.no_shifts {
        changes.push(OperatorChange::Shifts(WeeklyShifts::default()));
    }
    Ok(changes)
}

/// Everyone, with role, categories, whether they are active, and their shifts.
pub(super) async fn list(store: &Arc<dyn Store>, out: &mut impl Write) -> anyhow::Result<()> {
    let shifts: BTreeMap<String, WeeklyShifts> = store
        .shifts()
        .await?
        .into_iter()
        .map(|(o, s)| (o.id, s))
        .collect();
    for operator in store.operators().await? {
        match shifts.get(&operator.id) {
            Some(s) => writeln!(out, "{}  {}", describe(&operator), in_words(s))?,
            None => writeln!(out, "{}", describe(&operator))?,
        }
    }
    Ok(())
}

fn in_words(shifts: &WeeklyShifts) -> String {
    if shifts.is_empty() {
        "no shifts".to_string()
    } else {
        format!("shifts: {shifts}")
    }
}
