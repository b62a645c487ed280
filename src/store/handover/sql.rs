//! The statements of handing requests over and of finding a caller's other requests, one text
//! for both databases.

use super::super::worklist::CallbackRequest;
use super::super::worklist::sql::closed;
use super::StoreError;

/// Gives a claimed request to another operator (`$2`) or, with `$2` null, back to the queue.
/// The holder (`$4`) read before is in the condition, so a claim that changed meanwhile is not
/// taken from someone the supervisor did not see.
pub(in crate::store) const HAND_OVER: &str = "
update callback_requests
set status = case when $2 is null then 'pending' else 'claimed' end,
    claimed_by = $2,
    claimed_at = case when $2 is null then null else $3 end
where id = $1 and status = 'claimed' and claimed_by = $4";

/// Requests whose number or caller (by the keyed hash of the call's number) is that of `$1`,
/// made since `$2`. Appended to the worklist's request query.
pub(in crate::store) const SAME_CALLER: &str = "
    and r.id <> $1 and r.created_at >= $2
    and exists (
        select 1 from callback_requests this
        left join calls tc on tc.call_sid = this.call_sid
        where this.id = $1
            and ((this.phone_number <> '' and r.phone_number = this.phone_number)
                or (tc.caller_hash is not null and c.caller_hash = tc.caller_hash)))
order by r.created_at desc, r.id desc
limit 20";

/// Why a hand-over of `current` was refused.
pub(in crate::store) fn refusal(current: &CallbackRequest) -> StoreError {
    closed(current).unwrap_or_else(|| StoreError::Conflict {
        code: "not_claimed",
        message: "nobody holds this request now; reload the page".into(),
    })
}
