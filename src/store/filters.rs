//! Queries whose conditions depend on a filter (request lists, call search, the audit log),
//! built once for any database both adapters use: the text is the same, only the driver binds.

use sqlx::{Database, Encode, QueryBuilder, Type};

use super::calls::sql::SEARCH_CALLS;
use super::worklist::sql::SELECT_REQUESTS;
use crate::store::{AuditFilter, CallSearch, CallbackFilter, Order};

const SELECT_AUDIT: &str = "
select a.at, a.operator_id, o.name as operator_name, a.action, a.subject, a.detail
from audit_log a left join operators o on o.id = a.operator_id
where 1 = 1";

/// Callback requests matching `filter`, in its order.
pub(in crate::store) fn requests<DB>(filter: &CallbackFilter) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    i64: for<'q> Encode<'q, DB> + Type<DB>,
    String: for<'q> Encode<'q, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new(SELECT_REQUESTS);
    if !filter.statuses.is_empty() {
        let statuses: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        push_in(&mut query, " and r.status", &statuses);
    }
    if let Some(categories) = &filter.categories {
        push_in(&mut query, " and r.category", categories);
    }
    if let Some((from, to)) = filter.closed_between {
        query.push(" and r.closed_at >= ").push_bind(from);
        query.push(" and r.closed_at < ").push_bind(to);
    }
    if let Some(outcome) = filter.outcome {
        query
            .push(" and r.outcome = ")
            .push_bind(outcome.as_str().to_string());
    }
    if let Some(number) = &filter.phone_number {
        query
            .push(" and r.phone_number = ")
            .push_bind(number.clone());
    }
    if let Some((operator, now)) = &filter.not_held_for_others {
        query
            .push(" and (r.offered_until is null or r.offered_until <= ")
            .push_bind(*now)
            .push(" or r.offered_to = ")
            .push_bind(operator.clone())
            .push(")");
    }
    query.push(match filter.order {
        Order::Created => " order by r.created_at, r.id",
        // The column itself, not the select's fallback, so the worklist index serves it.
        Order::Worklist => " order by r.priority desc, r.waiting_since, r.id",
        Order::Closed => " order by r.closed_at desc, r.id desc",
    });
    query
        .push(" limit ")
        .push_bind(filter.limit.map_or(i64::MAX, |limit| limit.max(0)))
        .push(" offset ")
        .push_bind(filter.offset.max(0));
    query
}

/// Calls that started in the searched period, newest first.
pub(in crate::store) fn calls<DB>(search: &CallSearch) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    i64: for<'q> Encode<'q, DB> + Type<DB>,
    String: for<'q> Encode<'q, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new(SEARCH_CALLS);
    query
        .push_bind(search.from)
        .push(" and started_at < ")
        .push_bind(search.to);
    if let Some(categories) = &search.categories {
        push_in(&mut query, " and category", categories);
    }
    if let Some(number) = &search.from_number {
        query.push(" and from_number = ").push_bind(number.clone());
    }
    query
        .push(" order by started_at desc limit ")
        .push_bind(search.limit.max(0));
    query
}

/// Audit entries matching `filter`, newest first.
pub(in crate::store) fn audit<DB>(filter: &AuditFilter) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    i64: for<'q> Encode<'q, DB> + Type<DB>,
    String: for<'q> Encode<'q, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new(SELECT_AUDIT);
    if let Some(from) = filter.from {
        query.push(" and a.at >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        query.push(" and a.at < ").push_bind(to);
    }
    if let Some(subject) = &filter.subject {
        query.push(" and a.subject = ").push_bind(subject.clone());
    }
    if let Some(operator) = &filter.operator {
        query.push(" and o.name = ").push_bind(operator.clone());
    }
    if let Some(action) = &filter.action {
        query.push(" and a.action = ").push_bind(action.clone());
    }
    query
        .push(" order by a.at desc, a.id desc limit ")
        .push_bind(filter.limit.max(0));
    query
}

/// Holds the first of `ids` (in worklist order) that is pending and not held for another
/// operator at `now`, for `operator` until `until`; returns its id. The conditions are checked
/// again on the row updated, so of two operators racing for one request only one holds it.
pub(in crate::store) fn hold_first<DB>(
    ids: &[String],
    operator: &str,
    now: i64,
    until: i64,
) -> QueryBuilder<DB>
where
    DB: Database,
    DB::Arguments: Default,
    i64: for<'q> Encode<'q, DB> + Type<DB>,
    String: for<'q> Encode<'q, DB> + Type<DB>,
{
    let free = |query: &mut QueryBuilder<DB>, table: &str| {
        query
            .push(format!(" {table}status = 'pending' and ({table}offered_until is null or {table}offered_until <= "))
            .push_bind(now)
            .push(format!(" or {table}offered_to = "))
            .push_bind(operator.to_string())
            .push(")");
    };
    let mut query = QueryBuilder::new("update callback_requests set offered_to = ");
    query.push_bind(operator.to_string());
    query.push(", offered_until = ").push_bind(until);
    query.push(" where");
    free(&mut query, "");
    query.push(" and id = (select r.id from callback_requests r where");
    free(&mut query, "r.");
    push_in(&mut query, " and r.id", ids);
    query.push(" order by r.priority desc, r.waiting_since, r.id limit 1) returning id");
    query
}

/// Appends `COLUMN in ($n, ...)`; an empty list matches nothing.
fn push_in<DB>(query: &mut QueryBuilder<DB>, column: &str, values: &[String])
where
    DB: Database,
    String: for<'q> Encode<'q, DB> + Type<DB>,
{
    if values.is_empty() {
        query.push(" and 0 = 1");
        return;
    }
    query.push(column).push(" in (");
    let mut list = query.separated(", ");
    for value in values {
        list.push_bind(value.clone());
    }
    query.push(")");
}
