//! The code both database adapters run, written once: the roster's and the worklist's glue
//! between the storage traits and the shared statements. Each adapter expands these with its
//! own store and driver types and provides `reads()`, `desk()` (the pool operators' changes
//! use) and `begin_desk()` (a transaction that takes the write lock where the database needs
//! it). Only the row lock for completing a request differs: PostgreSQL is told, SQLite's
//! write lock already holds it.

/// `impl Roster for $store`.
macro_rules! roster {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl Roster for $store {
            async fn add_operator(&self, new: &NewOperator) -> Result<Operator, StoreError> {
                let id = uuid::Uuid::now_v7().to_string();
                let added = sqlx::query(INSERT_OPERATOR)
                    .bind(&id)
                    .bind(&new.name)
                    .bind(new.role.as_str())
                    .bind(join_categories(&new.categories))
                    .bind(new.at)
                    .execute(self.desk())
                    .await?;
                if added.rows_affected() == 0 {
                    return Err(StoreError::Conflict {
                        code: "name_taken",
                        message: format!("there is already an operator named {}", new.name),
                    });
                }
                self.operator(&id)
                    .await?
                    .ok_or(StoreError::NotFound("operator"))
            }

            async fn operators(&self) -> Result<Vec<Operator>, StoreError> {
                let sql = format!("{SELECT_OPERATOR} order by name");
                let rows: Vec<OperatorRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .fetch_all(self.reads())
                    .await?;
                rows.into_iter().map(OperatorRow::into_operator).collect()
            }

            async fn operator(&self, id: &str) -> Result<Option<Operator>, StoreError> {
                self.one_operator("id = $1", id).await
            }

            async fn sign_in(&self, name: &str) -> Result<Option<SignIn>, StoreError> {
                let sql = format!("{SELECT_OPERATOR} where name = $1");
                let row: Option<OperatorRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(name)
                    .fetch_optional(self.reads())
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let (password_hash, locked_until) = (row.password_hash.clone(), row.locked_until);
                Ok(Some(SignIn {
                    operator: row.into_operator()?,
                    password_hash,
                    locked_until,
                }))
            }

            async fn sign_in_failed(
                &self,
                name: &str,
                locked_until: i64,
                limit: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(SIGN_IN_FAILED)
                    .bind(name)
                    .bind(locked_until)
                    .bind(limit)
                    .execute(self.desk())
                    .await?;
                Ok(())
            }

            async fn sign_in_succeeded(&self, name: &str) -> Result<(), StoreError> {
                sqlx::query(SIGN_IN_SUCCEEDED)
                    .bind(name)
                    .execute(self.desk())
                    .await?;
                Ok(())
            }

            async fn update_operator(
                &self,
                name: &str,
                change: &OperatorChange,
            ) -> Result<Operator, StoreError> {
                let mut tx = self.begin_desk().await?;
                let (sql, value): (&str, Option<String>) = match change {
                    OperatorChange::Password(hash) => (SET_PASSWORD, Some(hash.clone())),
                    OperatorChange::Pin(digest) => (SET_PIN, Some(digest.clone())),
                    OperatorChange::Phone(phone) => (SET_PHONE, phone.clone()),
                    OperatorChange::Categories(c) => (SET_CATEGORIES, Some(join_categories(c))),
                    OperatorChange::Role(role) => (SET_ROLE, Some(role.as_str().to_string())),
                    OperatorChange::Disable(at) => (DISABLE, Some(at.to_string())),
                    OperatorChange::Enable => (ENABLE, None),
                };
                let changed = sqlx::query(sql)
                    .bind(name)
                    .bind(value)
                    .execute(&mut *tx)
                    .await
                    .map_err(taken)?
                    .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound("operator"));
                }
                if let OperatorChange::Disable(at) = change {
                    sqlx::query(REVOKE_TOKENS)
                        .bind(name)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(END_SESSIONS)
                        .bind(name)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                self.one_operator("name = $1", name)
                    .await?
                    .ok_or(StoreError::NotFound("operator"))
            }

            async fn operator_by_phone(&self, phone: &str) -> Result<Option<Operator>, StoreError> {
                self.one_operator("phone_number = $1 and disabled_at is null", phone)
                    .await
            }

            async fn operator_by_pin(
                &self,
                pin_digest: &str,
            ) -> Result<Option<Operator>, StoreError> {
                self.one_operator("pin_hash = $1 and disabled_at is null", pin_digest)
                    .await
            }

            async fn add_token(
                &self,
                operator_id: &str,
                token_digest: &str,
                label: &str,
                at: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(INSERT_TOKEN)
                    .bind(token_digest)
                    .bind(operator_id)
                    .bind(label)
                    .bind(at)
                    .execute(self.desk())
                    .await?;
                Ok(())
            }

            async fn operator_by_token(
                &self,
                token_digest: &str,
            ) -> Result<Option<Operator>, StoreError> {
                let condition = "disabled_at is null and id = (select operator_id from api_tokens \
                                 where token_hash = $1 and revoked_at is null)";
                self.one_operator(condition, token_digest).await
            }

            async fn add_session(&self, session: &NewSession) -> Result<(), StoreError> {
                sqlx::query(INSERT_SESSION)
                    .bind(&session.token_digest)
                    .bind(&session.operator_id)
                    .bind(&session.csrf_token)
                    .bind(session.at)
                    .bind(session.expires_at)
                    .execute(self.desk())
                    .await?;
                Ok(())
            }

            async fn session(
                &self,
                token_digest: &str,
                now: i64,
            ) -> Result<Option<(Operator, String)>, StoreError> {
                let row: Option<(String, String)> = sqlx::query_as(SELECT_SESSION)
                    .bind(token_digest)
                    .bind(now)
                    .fetch_optional(self.reads())
                    .await?;
                let Some((operator_id, csrf)) = row else {
                    return Ok(None);
                };
                let operator = self
                    .one_operator("id = $1 and disabled_at is null", &operator_id)
                    .await?;
                Ok(operator.map(|o| (o, csrf)))
            }

            async fn end_session(&self, token_digest: &str) -> Result<(), StoreError> {
                sqlx::query("delete from sessions where token_hash = $1")
                    .bind(token_digest)
                    .execute(self.desk())
                    .await?;
                Ok(())
            }
        }

        impl $store {
            async fn one_operator(
                &self,
                condition: &str,
                value: &str,
            ) -> Result<Option<Operator>, StoreError> {
                let sql = format!("{SELECT_OPERATOR} where {condition}");
                let row: Option<OperatorRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(value)
                    .fetch_optional(self.reads())
                    .await?;
                row.map(OperatorRow::into_operator).transpose()
            }
        }
    };
}

/// `impl Worklist for $store`; `$lock` is appended to the query that reads a request before
/// completing it.
macro_rules! worklist {
    ($store:ty, $db:ty, $conn:ty, $lock:expr) => {
        #[async_trait::async_trait]
        impl Worklist for $store {
            async fn callback_requests(
                &self,
                filter: &CallbackFilter,
            ) -> Result<Vec<CallbackRequest>, StoreError> {
                let mut query = filters::requests::<$db>(filter);
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
                let claimed = sqlx::query(CLAIM)
                    .bind(&claim.request_id)
                    .bind(&claim.operator_id)
                    .bind(claim.at)
                    .bind(claim.stale_before)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                let current = read_request(&mut tx, &claim.request_id)
                    .await?
                    .ok_or(StoreError::NotFound("callback request"))?;
                if claimed == 0 {
                    return Err(refusal_to_claim(&current));
                }
                let entry = action(&claim.operator_id, "claim", &claim.request_id, claim.at, "");
                audit::insert(&mut tx, &entry).await?;
                tx.commit().await?;
                Ok(current)
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
                let done = sqlx::query(RELEASE_STALE)
                    .bind(stale_before)
                    .execute(self.desk())
                    .await?;
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

        async fn read_request(
            conn: &mut $conn,
            id: &str,
        ) -> Result<Option<CallbackRequest>, StoreError> {
            read_request_with(conn, id, "").await
        }

        /// As `read_request`, holding the request's row for the rest of the transaction where the
        /// database needs telling (several instances may complete one request at once).
        async fn read_request_locked(
            conn: &mut $conn,
            id: &str,
        ) -> Result<Option<CallbackRequest>, StoreError> {
            read_request_with(conn, id, $lock).await
        }

        async fn read_request_with(
            conn: &mut $conn,
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

/// `impl Retention for $store`.
macro_rules! retention {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl Retention for $store {
            async fn purge(&self, cutoffs: &Cutoffs, at: i64) -> Result<Vec<Purged>, StoreError> {
                let mut tx = self.begin_desk().await?;
                let mut purged = Vec::new();
                for (class, sql) in PURGES {
                    let Some(cutoff) = cutoff_for(cutoffs, class) else {
                        continue;
                    };
                    let rows = sqlx::query(sql)
                        .bind(cutoff)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    sqlx::query(RECORD_PURGE)
                        .bind(uuid::Uuid::now_v7().to_string())
                        .bind(at)
                        .bind(class)
                        .bind(i64::try_from(rows).unwrap_or(i64::MAX))
                        .execute(&mut *tx)
                        .await?;
                    purged.push(Purged { class, rows });
                }
                tx.commit().await?;
                Ok(purged)
            }

            async fn purges(&self, limit: i64) -> Result<Vec<(i64, String, i64)>, StoreError> {
                let rows = sqlx::query_as(SELECT_PURGES)
                    .bind(limit)
                    .fetch_all(self.reads())
                    .await?;
                Ok(rows)
            }
        }
    };
}

/// `impl CallLog for $store`: the reads written once; each adapter applies writes and checks
/// its health its own way (`apply_writes`, `check_alive`).
macro_rules! call_log {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl crate::store::CallLog for $store {
            async fn write(
                &self,
                writes: Vec<crate::store::CallWrite>,
            ) -> Result<(), crate::store::StoreError> {
                if writes.is_empty() {
                    return Ok(());
                }
                self.apply_writes(writes).await
            }

            async fn call(
                &self,
                call_sid: &str,
            ) -> Result<Option<crate::store::CallRecord>, crate::store::StoreError> {
                use crate::store::statements::calls::SELECT_CALL;
                let call = sqlx::query_as(SELECT_CALL)
                    .bind(call_sid)
                    .fetch_optional(self.reads())
                    .await?;
                Ok(call)
            }

            async fn steps(
                &self,
                call_sid: &str,
            ) -> Result<Vec<crate::store::StepRecord>, crate::store::StoreError> {
                use crate::store::statements::calls::SELECT_STEPS;
                Ok(sqlx::query_as(SELECT_STEPS)
                    .bind(call_sid)
                    .fetch_all(self.reads())
                    .await?)
            }

            async fn queue_entries(
                &self,
                call_sid: &str,
            ) -> Result<Vec<crate::store::QueueEntry>, crate::store::StoreError> {
                use crate::store::statements::calls::SELECT_QUEUE_ENTRIES;
                let query = sqlx::query_as(SELECT_QUEUE_ENTRIES).bind(call_sid);
                Ok(query.fetch_all(self.reads()).await?)
            }

            async fn search_calls(
                &self,
                search: &crate::store::CallSearch,
            ) -> Result<Vec<crate::store::CallRecord>, crate::store::StoreError> {
                let mut query = crate::store::statements::filters::calls::<$db>(search);
                Ok(query.build_query_as().fetch_all(self.reads()).await?)
            }

            async fn same_caller_calls(
                &self,
                call_sid: &str,
                since: i64,
            ) -> Result<u64, crate::store::StoreError> {
                use crate::store::statements::calls::COUNT_SAME_CALLER;
                let query = sqlx::query_as(COUNT_SAME_CALLER).bind(call_sid).bind(since);
                let (count,): (i64,) = query.fetch_one(self.reads()).await?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn calls_from(
                &self,
                number: &str,
                since: i64,
                except: &str,
            ) -> Result<u64, crate::store::StoreError> {
                use crate::store::statements::calls::COUNT_CALLS_FROM;
                let query = sqlx::query_as(COUNT_CALLS_FROM)
                    .bind(number)
                    .bind(since)
                    .bind(except);
                let (count,): (i64,) = query.fetch_one(self.reads()).await?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn ping(&self) -> Result<(), crate::store::StoreError> {
                self.check_alive().await
            }
        }
    };
}

/// `impl Audit for $store`, and the `insert` that writes an entry inside a caller's
/// transaction (on `$conn`) so that an action and its record commit together.
macro_rules! audit {
    ($store:ty, $db:ty, $conn:ty) => {
        #[async_trait::async_trait]
        impl crate::store::Audit for $store {
            async fn record(
                &self,
                entry: &crate::store::AuditEntry,
            ) -> Result<(), crate::store::StoreError> {
                let mut conn = self.desk().acquire().await?;
                insert(&mut conn, entry).await
            }

            async fn audit_log(
                &self,
                filter: &crate::store::AuditFilter,
            ) -> Result<Vec<crate::store::AuditEntry>, crate::store::StoreError> {
                use crate::store::statements::audit::AuditRow;
                let mut query = crate::store::statements::filters::audit::<$db>(filter);
                let rows: Vec<AuditRow> = query.build_query_as().fetch_all(self.reads()).await?;
                Ok(rows.into_iter().map(AuditRow::into_entry).collect())
            }
        }

        /// Adds an entry on `conn`, inside the caller's transaction if it has one.
        pub(super) async fn insert(
            conn: &mut $conn,
            entry: &crate::store::AuditEntry,
        ) -> Result<(), crate::store::StoreError> {
            sqlx::query(crate::store::statements::audit::INSERT_AUDIT)
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(entry.at)
                .bind(&entry.operator_id)
                .bind(&entry.action)
                .bind(&entry.subject)
                .bind(&entry.detail)
                .execute(conn)
                .await?;
            Ok(())
        }
    };
}

pub(super) use {audit, call_log, retention, roster, worklist};
