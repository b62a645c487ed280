//! Finding what is over: callback requests closed in a period and the calls of that period, by
//! category, outcome and number; operators within their categories, supervisors everywhere.
//! Each search is recorded in the audit log, with the number masked.

use super::{Desk, DeskError, SEARCH_LIMIT};
use crate::callbacks::{Outcome, Status};
use crate::engine::normalise_phone;
use crate::flow::model::PhoneFormat;
use crate::operators::Operator;
use crate::privacy::MaskedPhone;
use crate::store::{CallRecord, CallSearch, CallbackFilter, CallbackRequest, Order};

/// What to look for.
#[derive(Debug, Clone, Default)]
pub struct HistoryQuery {
    /// The period, `[from, to)`, in ms since the epoch.
    pub from: i64,
    pub to: i64,
    /// One category, or every one the operator works.
    pub category: Option<String>,
    /// Requests closed with this outcome only (calls have none).
    pub outcome: Option<Outcome>,
    /// As typed: `+12025550123`, `(202) 555-0123`…
    pub number: Option<String>,
}

/// What was found, newest first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct History {
    /// Requests closed in the period.
    pub requests: Vec<CallbackRequest>,
    /// Calls that started in the period.
    pub calls: Vec<CallRecord>,
}

impl Desk {
    /// Closed requests and calls matching `query`, as far as `operator` may see them.
    pub async fn history(
        &self,
        operator: &Operator,
        query: &HistoryQuery,
    ) -> Result<History, DeskError> {
        if query.to <= query.from {
            return Err(DeskError::Invalid("`to` must be after `from`".into()));
        }
        let categories = scope(operator, query.category.as_deref())?;
        let number = query.number.as_deref().map(number_of).transpose()?;
        let filter = CallbackFilter {
            statuses: vec![Status::Completed, Status::Unreachable],
            categories: categories.clone(),
            closed_between: Some((query.from, query.to)),
            outcome: query.outcome,
            phone_number: number.clone(),
            order: Order::Closed,
            limit: Some(SEARCH_LIMIT),
            ..CallbackFilter::default()
        };
        let requests = self.store.callback_requests(&filter).await?;
        let search = CallSearch {
            from: query.from,
            to: query.to,
            categories,
            from_number: number.clone(),
            limit: SEARCH_LIMIT,
        };
        let calls = self.store.search_calls(&search).await?;
        let detail = format!(
            "from={} to={} category={} outcome={} number={}",
            query.from,
            query.to,
            query.category.as_deref().unwrap_or("*"),
            query.outcome.map_or("*", Outcome::as_str),
            number
                .as_deref()
                .map_or("*".to_string(), |n| MaskedPhone(n).to_string()),
        );
        self.audit(operator, "search_history", "", &detail).await?;
        Ok(History { requests, calls })
    }
}

/// The categories a search by `operator` covers: the one asked for, if they work it, or all
/// they work (`None`: every category, for supervisors).
pub(super) fn scope(
    operator: &Operator,
    category: Option<&str>,
) -> Result<Option<Vec<String>>, DeskError> {
    match (category, operator.category_filter()) {
        (Some(c), _) if !operator.works(c) => Err(DeskError::Forbidden("not your category")),
        (Some(c), _) => Ok(Some(vec![c.to_string()])),
        (None, mine) => Ok(mine.map(<[String]>::to_vec)),
    }
}

/// The number as stored: E.164 as typed, or a North American number in any usual spelling.
fn number_of(typed: &str) -> Result<String, DeskError> {
    let kept: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let stored = match kept.strip_prefix('+') {
        Some(digits) if (8..=15).contains(&digits.len()) => digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| kept.clone()),
        Some(_) => None,
        None => normalise_phone(&kept, PhoneFormat::Nanp),
    };
    stored.ok_or_else(|| {
        DeskError::Invalid(format!(
            "`{typed}` is not a phone number: write it with its country code, e.g. +12025550123"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_however_they_are_typed() {
        for typed in [
            "+12025550123",
            "(202) 555-0123",
            "202.555.0123",
            "1 202 555 0123",
        ] {
            assert_eq!(
                number_of(typed).ok().as_deref(),
                Some("+12025550123"),
                "{typed}"
            );
        }
        assert_eq!(
            number_of("+44 20 7946 0958").ok().as_deref(),
            Some("+442079460958")
        );
        for wrong in ["555-0123", "+1", "call me", "+1202555012a"] {
            assert!(number_of(wrong).is_err(), "{wrong}");
        }
    }
}
