//! The roster binding: operators, tokens, sessions and sign-in failures, for either adapter.

/// `impl Roster for $store`.
macro_rules! roster {
    ($store:ty) => {
        use crate::operators::pin_key::PinKey;
        use crate::operators::pin_limits::{PinFailures, SHORT_WINDOW_MINUTES};
        use crate::operators::{Operator, join_categories};
        use crate::store::adapter::Adapter;
        use crate::store::roster::sql::*;
        use crate::store::{
            AuditEntry, NewOperator, NewSession, OperatorChange, Roster, RosterEntry, SignIn,
            StoreError,
        };
        #[async_trait::async_trait]
        impl Roster for $store {
            async fn add_operator(&self, new: &NewOperator) -> Result<Operator, StoreError> {
                let id = uuid::Uuid::now_v7().to_string();
                let mut desk = self.begin_desk().await?;
                let added = sqlx::query(INSERT_OPERATOR)
                    .bind(&id)
                    .bind(&new.name)
                    .bind(new.role.as_str())
                    .bind(join_categories(&new.categories))
                    .bind(new.at)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
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
                let mut desk = self.begin_desk().await?;
                sqlx::query(SIGN_IN_FAILED)
                    .bind(name)
                    .bind(locked_until)
                    .bind(limit)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn sign_in_succeeded(&self, name: &str) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(SIGN_IN_SUCCEEDED)
                    .bind(name)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn known_device(&self, token_digest: &str) -> Result<Option<String>, StoreError> {
                let row: Option<(String,)> = sqlx::query_as(KNOWN_DEVICE)
                    .bind(token_digest)
                    .fetch_optional(self.reads())
                    .await?;
                Ok(row.map(|(id,)| id))
            }

            async fn add_known_device(
                &self,
                token_digest: &str,
                operator_id: &str,
                at: i64,
            ) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(ADD_KNOWN_DEVICE)
                    .bind(token_digest)
                    .bind(operator_id)
                    .bind(at)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn known_device_failed(
                &self,
                token_digest: &str,
                limit: i64,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_desk().await?;
                sqlx::query(KNOWN_DEVICE_FAILED)
                    .bind(token_digest)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(FORGET_FAILING_DEVICE)
                    .bind(token_digest)
                    .bind(limit)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_operator(
                &self,
                name: &str,
                change: &OperatorChange,
            ) -> Result<Operator, StoreError> {
                self.change_operator(name, change, None).await
            }

            async fn update_operator_audited(
                &self,
                name: &str,
                change: &OperatorChange,
                entry: &AuditEntry,
            ) -> Result<Operator, StoreError> {
                self.change_operator(name, change, Some(entry)).await
            }

            async fn roster(&self) -> Result<Vec<RosterEntry>, StoreError> {
                let rows: Vec<RosterRow> = sqlx::query_as(SELECT_ROSTER)
                    .fetch_all(self.reads())
                    .await?;
                rows.into_iter().map(RosterRow::into_entry).collect()
            }

            async fn shifts(
                &self,
            ) -> Result<Vec<(Operator, crate::operators::shifts::WeeklyShifts)>, StoreError> {
                let rows: Vec<ShiftsRow> = sqlx::query_as(SELECT_SHIFTS)
                    .fetch_all(self.reads())
                    .await?;
                rows.into_iter().map(ShiftsRow::into_shifts).collect()
            }

            async fn phone_of(&self, operator_id: &str) -> Result<Option<String>, StoreError> {
                let row: Option<(Option<String>,)> = sqlx::query_as(SELECT_PHONE)
                    .bind(operator_id)
                    .fetch_optional(self.reads())
                    .await?;
                Ok(row.and_then(|(phone,)| phone))
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

            async fn rekey_pins(&self, key: &PinKey) -> Result<u64, StoreError> {
                let mut tx = self.begin_desk().await?;
                let plain: Vec<(String, String)> = sqlx::query_as(SELECT_PLAIN_PINS)
                    .fetch_all(&mut *tx)
                    .await?;
                let count = plain.len() as u64;
                for (id, old) in plain {
                    let new = key.rekey(&old);
                    sqlx::query(REKEY_PIN)
                        .bind(id)
                        .bind(old)
                        .bind(new)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(count)
            }

            async fn set_presence(
                &self,
                operator_id: &str,
                until: Option<i64>,
                via: &str,
            ) -> Result<(), StoreError> {
                let query = match until {
                    Some(until) => sqlx::query(SET_PRESENCE)
                        .bind(operator_id)
                        .bind(until)
                        .bind(via),
                    None => sqlx::query(CLEAR_PRESENCE).bind(operator_id),
                };
                let mut desk = self.begin_desk().await?;
                query.execute(&mut *desk).await?;
                desk.commit().await?;
                Ok(())
            }

            async fn renew_presence(
                &self,
                operator_id: &str,
                until: i64,
                now: i64,
            ) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(RENEW_PRESENCE)
                    .bind(operator_id)
                    .bind(until)
                    .bind(now)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn available(
                &self,
                now: i64,
            ) -> Result<Vec<(Operator, i64, String)>, StoreError> {
                let rows: Vec<PresenceRow> = sqlx::query_as(AVAILABLE)
                    .bind(now)
                    .fetch_all(self.reads())
                    .await?;
                rows.into_iter()
                    .map(|r| Ok((r.operator.into_operator()?, r.available_until, r.via)))
                    .collect()
            }

            async fn pin_failed(&self, caller_tag: &str, at: i64) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(INSERT_PIN_FAILURE)
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(caller_tag)
                    .bind(at)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }

            async fn pin_failures(
                &self,
                caller_tag: &str,
                now: i64,
            ) -> Result<PinFailures, StoreError> {
                let (number_short, number_day, line_short, line_day): (i64, i64, i64, i64) =
                    sqlx::query_as(COUNT_PIN_FAILURES)
                        .bind(caller_tag)
                        .bind(now - SHORT_WINDOW_MINUTES * 60 * 1000)
                        .bind(now - 24 * 3600 * 1000)
                        .fetch_one(self.reads())
                        .await?;
                Ok(PinFailures {
                    number_short,
                    number_day,
                    line_short,
                    line_day,
                })
            }

            async fn add_token(
                &self,
                operator_id: &str,
                token_digest: &str,
                label: &str,
                at: i64,
            ) -> Result<(), StoreError> {
                let mut desk = self.begin_desk().await?;
                sqlx::query(INSERT_TOKEN)
                    .bind(token_digest)
                    .bind(operator_id)
                    .bind(label)
                    .bind(at)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
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
                let mut desk = self.begin_desk().await?;
                sqlx::query(INSERT_SESSION)
                    .bind(&session.token_digest)
                    .bind(&session.operator_id)
                    .bind(&session.csrf_token)
                    .bind(session.at)
                    .bind(session.expires_at)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
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
                let mut desk = self.begin_desk().await?;
                sqlx::query("delete from sessions where token_hash = $1")
                    .bind(token_digest)
                    .execute(&mut *desk)
                    .await?;
                desk.commit().await?;
                Ok(())
            }
        }

        impl $store {
            /// Applies `change` to the operator named `name`, with `entry` in the same
            /// transaction when there is one.
            async fn change_operator(
                &self,
                name: &str,
                change: &OperatorChange,
                entry: Option<&AuditEntry>,
            ) -> Result<Operator, StoreError> {
                let mut tx = self.begin_desk().await?;
                let (sql, value) = change_statement(change);
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
                if let Some(entry) = entry {
                    super::audit::insert(&mut tx, entry).await?;
                }
                tx.commit().await?;
                self.one_operator("name = $1", name)
                    .await?
                    .ok_or(StoreError::NotFound("operator"))
            }

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

pub(in crate::store) use roster;
