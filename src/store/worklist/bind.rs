//! The worklist's binding: listing, claiming, releasing and completing callback requests, and the
//! live queue, for either adapter. Only the row lock for completing a request differs:
//! PostgreSQL is told, SQLite's write lock already holds it.

/// `impl Worklist for $store`; the adapter's `ROW_LOCK` is appended to the query that reads a
/// request before completing it.
macro_rules! worklist {
    ($store:ty) => {
        use super::audit;
        use crate::store::adapter::Adapter;
        use crate::store::filters;
        use crate::store::worklist::sql::*;
        use crate::store::{
            Attempt, CallbackFilter, CallbackRequest, Claim, Completion, Dial, LiveCaller, Screen,
            StoreError, Worklist,
        };
        type Db = <$store as crate::store::adapter::Adapter>::Db;
        type Conn = <Db as sqlx::Database>::Connection;
        #[async_trait::async_trait]
        impl Worklist for $store {
            async fn callback_requests(
                &self,
                filter: &CallbackFilter,
            ) -> Result<Vec<CallbackRequest>, StoreError> {
                let mut query = filters::requests::<Db>(filter);
                let rows: Vec<RequestRow> = query.build_query_as().fetch_all(self.reads()).await?;
                rows.into_iter().map(RequestRow::into_request).collect()
            }

            async fn callback_request(
                &self,
                id: &str,
            ) -> Result<Option<CallbackRequest>, StoreError> {
                let mut conn = self.reads().acquire().await?;
                read_request(&mut conn, id).await
            }

            async fn claim(&self, claim: &Claim) -> Result<CallbackRequest, StoreError> {
                let mut tx = self.begin_desk().await?;
                let current = claim_in(&mut tx, claim, "claim").await?;
                tx.commit().await?;
                Ok(current)
            }

            async fn start_dial(
                &self,
                claim: &Claim,
                dial_id: &str,
            ) -> Result<CallbackRequest, StoreError> {
                let mut tx = self.begin_desk().await?;
                let current = claim_in(&mut tx, claim, "dial").await?;
                sqlx::query(INSERT_DIAL)
                    .bind(dial_id)
                    .bind(&claim.request_id)
                    .bind(&claim.operator_id)
                    .bind(claim.at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(current)
            }

            async fn dial(&self, dial_id: &str) -> Result<Option<Dial>, StoreError> {
                let row: Option<DialRow> = sqlx::query_as(SELECT_DIAL)
                    .bind(dial_id)
                    .fetch_optional(self.reads())
                    .await?;
                row.map(DialRow::into_dial).transpose()
            }

            async fn latest_dial(&self, request_id: &str) -> Result<Option<Dial>, StoreError> {
                let row: Option<DialRow> = sqlx::query_as(LATEST_DIAL)
                    .bind(request_id)
                    .fetch_optional(self.reads())
                    .await?;
                row.map(DialRow::into_dial).transpose()
            }

            async fn start_ring(&self, request_id: &str, at: i64) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(START_RING)
                    .bind(request_id)
                    .bind(at)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn ring_progress(
                &self,
                request_id: &str,
                ring_at: i64,
                status: &str,
            ) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(RING_PROGRESS)
                    .bind(request_id)
                    .bind(ring_at)
                    .bind(status)
                    .bind(crate::store::worklist::leg_stage(status).unwrap_or(0))
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn dial_progress(&self, dial_id: &str, status: &str) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(DIAL_PROGRESS)
                    .bind(dial_id)
                    .bind(status)
                    .bind(crate::store::worklist::leg_stage(status).unwrap_or(0))
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn dials_to(&self, number: &str, since: i64) -> Result<i64, StoreError> {
                let (count,): (i64,) = sqlx::query_as(COUNT_DIALS_TO)
                    .bind(number)
                    .bind(since)
                    .fetch_one(self.reads())
                    .await?;
                Ok(count)
            }

            async fn hold_first_offer(
                &self,
                candidates: &[String],
                operator_id: &str,
                now: i64,
                until: i64,
            ) -> Result<Option<String>, StoreError> {
                if candidates.is_empty() {
                    return Ok(None);
                }
                let mut query = filters::hold_first::<Db>(candidates, operator_id, now, until);
                let mut desk = self.begin_desk().await?;
                let held: Option<(String,)> =
                    query.build_query_as().fetch_optional(&mut *desk).await?;
                desk.commit().await?;
                Ok(held.map(|(id,)| id))
            }

            async fn drop_offer(
                &self,
                request_id: &str,
                operator_id: &str,
            ) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(DROP_OFFER)
                    .bind(request_id)
                    .bind(operator_id)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn screen_dial(&self, dial_id: &str, screen: Screen) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(SCREEN_DIAL)
                    .bind(dial_id)
                    .bind(screen.as_str())
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn end_dial(
                &self,
                dial_id: &str,
                status: &str,
                at: i64,
            ) -> Result<bool, StoreError> {
                let mut desk = self.begin_desk().await?;
                let ended = sqlx::query(END_DIAL)
                    .bind(dial_id)
                    .bind(status)
                    .bind(at)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(ended.rows_affected() == 1)
            }

            async fn release(
                &self,
                request_id: &str,
                operator_id: &str,
                at: i64,
            ) -> Result<CallbackRequest, StoreError> {
                let mut tx = self.begin_desk().await?;
                let released = sqlx::query(RELEASE)
                    .bind(request_id)
                    .bind(operator_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let current = read_request(&mut tx, request_id)
                    .await?
                    .ok_or(StoreError::NotFound("callback request"))?;
                if released == 0 {
                    return Err(not_yours(&current));
                }
                audit::insert(&mut tx, &action(operator_id, "release", request_id, at, "")).await?;
                tx.commit().await?;
                Ok(current)
            }

            async fn complete(&self, done: &Completion) -> Result<CallbackRequest, StoreError> {
                let mut tx = self.begin_desk().await?;
                let current = read_request_locked(&mut tx, &done.request_id)
                    .await?
                    .ok_or(StoreError::NotFound("callback request"))?;
                let settled = settlement(&current, done)?;
                sqlx::query(INSERT_ATTEMPT)
                    .bind(&done.request_id)
                    .bind(&done.operator_id)
                    .bind(done.outcome.as_str())
                    .bind(&done.notes)
                    .bind(done.at)
                    .execute(&mut *tx)
                    .await?;
                let closed = settled.status.is_closed();
                sqlx::query(SETTLE)
                    .bind(&done.request_id)
                    .bind(settled.status.as_str())
                    .bind(i64::from(settled.no_answer_attempts))
                    .bind(done.outcome.as_str())
                    .bind(closed.then_some(done.at))
                    .bind(closed.then_some(done.operator_id.as_str()))
                    .execute(&mut *tx)
                    .await?;
                let detail = format!("{} → {}", done.outcome.as_str(), settled.status);
                let entry = action(
                    &done.operator_id,
                    "complete",
                    &done.request_id,
                    done.at,
                    &detail,
                );
                audit::insert(&mut tx, &entry).await?;
                let settled_request = read_request(&mut tx, &done.request_id)
                    .await?
                    .ok_or(StoreError::NotFound("callback request"))?;
                tx.commit().await?;
                Ok(settled_request)
            }

            async fn attempts(&self, request_id: &str) -> Result<Vec<Attempt>, StoreError> {
                let rows: Vec<AttemptRow> = sqlx::query_as(SELECT_ATTEMPTS)
                    .bind(request_id)
                    .fetch_all(self.reads())
                    .await?;
                rows.into_iter().map(AttemptRow::into_attempt).collect()
            }

            async fn release_stale_claims(&self, stale_before: i64) -> Result<u64, StoreError> {
                let mut desk = self.begin_desk().await?;
                let done = sqlx::query(RELEASE_STALE)
                    .bind(stale_before)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(done.rows_affected())
            }

            async fn live_callers(&self, active_since: i64) -> Result<Vec<LiveCaller>, StoreError> {
                let rows: Vec<LiveRow> = sqlx::query_as(SELECT_LIVE)
                    .bind(active_since)
                    .fetch_all(self.reads())
                    .await?;
                Ok(rows.into_iter().map(LiveRow::into_caller).collect())
            }

            async fn recent_waits(
                &self,
                category: &str,
                since: i64,
                limit: i64,
            ) -> Result<Vec<i64>, StoreError> {
                let waits: Vec<(i64,)> = sqlx::query_as(SELECT_RECENT_WAITS)
                    .bind(category)
                    .bind(since)
                    .bind(limit)
                    .fetch_all(self.reads())
                    .await?;
                Ok(waits.into_iter().map(|(w,)| w).collect())
            }
        }

        /// Claims inside `tx` with its audit entry (`what`: `claim`, or `dial` for a call back
        /// the line places); refused when someone else holds the request.
        async fn claim_in(
            tx: &mut Conn,
            claim: &Claim,
            what: &str,
        ) -> Result<CallbackRequest, StoreError> {
            let claimed = sqlx::query(CLAIM)
                .bind(&claim.request_id)
                .bind(&claim.operator_id)
                .bind(claim.at)
                .bind(claim.stale_before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let current = read_request(tx, &claim.request_id)
                .await?
                .ok_or(StoreError::NotFound("callback request"))?;
            if claimed == 0 {
                return Err(refusal_to_claim(&current));
            }
            let entry = action(&claim.operator_id, what, &claim.request_id, claim.at, "");
            audit::insert(tx, &entry).await?;
            Ok(current)
        }

        async fn read_request(
            conn: &mut Conn,
            id: &str,
        ) -> Result<Option<CallbackRequest>, StoreError> {
            read_request_with(conn, id, "").await
        }

        /// As `read_request`, holding the request's row for the rest of the transaction where the
        /// database needs telling (several instances may complete one request at once).
        async fn read_request_locked(
            conn: &mut Conn,
            id: &str,
        ) -> Result<Option<CallbackRequest>, StoreError> {
            read_request_with(
                conn,
                id,
                <$store as crate::store::adapter::Adapter>::ROW_LOCK,
            )
            .await
        }

        /// Also read by the hand-over binding.
        pub(super) async fn read_request_with(
            conn: &mut Conn,
            id: &str,
            lock: &str,
        ) -> Result<Option<CallbackRequest>, StoreError> {
            let sql = format!("{SELECT_REQUESTS} and r.id = $1{lock}");
            let row: Option<RequestRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(conn)
                .await?;
            row.map(RequestRow::into_request).transpose()
        }
    };
}

pub(in crate::store) use worklist;
