//! The text of a many-rows form, made from a one-row statement's: `$n` becomes the row
//! source's `m.pn`; a `values (…)` list becomes `select … from` the rows, an `update` or
//! `delete` takes them in `from` or `using`, and an `insert … select` joins them to its own
//! `from`. Plain string work on the statements of `calls/sql.rs`, whose shapes the tests
//! below pin down.

/// The many-rows form of `sql`, whose `$n` has the PostgreSQL type `types[n - 1]`.
pub(super) fn derive(sql: &str, types: &[&str]) -> Option<String> {
    let arrays: Vec<String> = (types.iter().enumerate())
        .map(|(i, t)| format!("${}::{t}[]", i + 1))
        .collect();
    let names: Vec<String> = (1..=types.len()).map(|n| format!("p{n}")).collect();
    let rows = format!("unnest({}) as m({})", arrays.join(", "), names.join(", "));
    let body = renamed(sql, |n| format!("m.p{n}"));
    let body = body.trim_start();
    let at = |word| top_level(body, word);
    if body.starts_with("insert") {
        if let Some(values) = at("values") {
            let open = values + body[values..].find('(')?;
            let close = closing(body, open)?;
            let list = &body[open + 1..close];
            let (before, after) = (&body[..values], &body[close + 1..]);
            return Some(format!("{before}select {list} from {rows}{after}"));
        }
        let from = at("from")?;
        let (before, after) = (&body[..from], &body[from + "from".len()..]);
        return Some(format!("{before}from {rows},{after}"));
    }
    let (word, clause) = if body.starts_with("update") {
        ("from", "where")
    } else if body.starts_with("delete") {
        ("using", "where")
    } else {
        return None;
    };
    let at = at(clause)?;
    Some(format!("{}{word} {rows} {}", &body[..at], &body[at..]))
}

/// Where the word `word` first stands in `sql` outside any parentheses.
fn top_level(sql: &str, word: &str) -> Option<usize> {
    let bytes = sql.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && sql[i..].starts_with(word) => {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + word.len()).copied();
                if !before.is_some_and(is_name) && !after.is_some_and(is_name) {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `)` that closes the `(` at `open`.
fn closing(sql: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in sql.bytes().enumerate().skip(open) {
        match b {
            b'(' => depth += 1,
            b')' if depth == 1 => return Some(i),
            b')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The highest `$n` in `sql`: how many parameters it takes.
pub(in crate::store::postgres) fn placeholders(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            rest[..digits].parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// `sql` with every placeholder `$n` replaced by `name(n)`.
pub(in crate::store::postgres) fn renamed(sql: &str, name: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&name(n)),
            Err(_) => out.push('$'),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::calls::sql::{DROP_UNFINISHED, SET_LANGUAGE, SETTLE_UNFINISHED};

    fn squeezed(sql: &str) -> String {
        sql.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn an_update_and_a_delete_take_the_rows_before_their_where() {
        let update = derive(SET_LANGUAGE, &["text", "text"]).expect("a form");
        assert_eq!(
            squeezed(&update),
            "update calls set language = m.p2 from unnest($1::text[], $2::text[]) \
             as m(p1, p2) where call_sid = m.p1"
        );
        let delete = derive(DROP_UNFINISHED, &["text", "int8"]).expect("a form");
        assert_eq!(
            squeezed(&delete),
            "delete from unfinished_requests using unnest($1::text[], $2::int8[]) \
             as m(p1, p2) where call_sid = m.p1 and seq < m.p2"
        );
    }

    #[test]
    fn values_become_a_select_from_the_rows_and_the_conflict_clause_stays() {
        let insert =
            "insert into t (a, b) values ($1, coalesce((select x from u where y = $1), $2))
            on conflict (a) do update set b = excluded.b where t.b < excluded.b";
        let form = derive(insert, &["text", "int8"]).expect("a form");
        assert_eq!(
            squeezed(&form),
            "insert into t (a, b) select m.p1, coalesce((select x from u where y = m.p1), m.p2) \
             from unnest($1::text[], $2::int8[]) as m(p1, p2) \
             on conflict (a) do update set b = excluded.b where t.b < excluded.b"
        );
    }

    #[test]
    fn an_insert_from_a_select_joins_the_rows_in_its_own_from_not_in_a_subquery() {
        let form = derive(SETTLE_UNFINISHED, &["text", "text", "int8"]).expect("a form");
        let form = squeezed(&form);
        assert!(
            form.contains(
                "from unnest($1::text[], $2::text[], $3::int8[]) as m(p1, p2, p3), \
                 unfinished_requests u where u.call_sid = m.p2"
            ),
            "{form}"
        );
        assert!(form.contains("(select c.started_at from calls c"), "{form}");
        assert_eq!(placeholders(&form), 3, "{form}");
    }

    #[test]
    fn a_statement_of_no_known_shape_has_no_form() {
        assert!(derive("select 1 where $1", &["int8"]).is_none());
    }
}
