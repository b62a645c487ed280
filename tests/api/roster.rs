//! The roster in the store: operators, their credentials and sessions follow their account
//! (a disabled operator's tokens and sessions stop at once), on every backend.

use hotline::operators::{Operator, Role};
use hotline::store::{NewOperator, NewSession, OperatorChange, StoreError};

use crate::support::backends::on_every_backend;
use crate::worklist::{MINUTE, T0, conflict_code, operator};

#[tokio::test]
async fn operators_credentials_and_sessions_follow_their_account() {
    on_every_backend(|store| async move {
        let ana = operator(&*store, "ana", Role::Operator, &["general"]).await;
        let again = NewOperator {
            name: "ana".into(),
            role: Role::Supervisor,
            categories: vec![],
            at: T0,
        };
        assert_eq!(
            conflict_code(store.add_operator(&again).await.unwrap_err()),
            "name_taken"
        );
        let ben = operator(&*store, "ben", Role::Operator, &[]).await;
        store
            .update_operator("ana", &OperatorChange::Phone(Some("+15550009999".into())))
            .await
            .expect("phone set");
        let same_phone = OperatorChange::Phone(Some("+15550009999".into()));
        let clash = store.update_operator("ben", &same_phone).await;
        assert_eq!(conflict_code(clash.unwrap_err()), "in_use");
        store
            .update_operator("ana", &OperatorChange::Pin("pin-digest".into()))
            .await
            .expect("pin");
        store
            .add_token(&ana.id, "token-digest", "laptop", T0)
            .await
            .expect("token");
        let session = NewSession {
            token_digest: "session-digest".into(),
            operator_id: ana.id.clone(),
            csrf_token: "csrf".into(),
            at: T0,
            expires_at: T0 + 60 * MINUTE,
        };
        store.add_session(&session).await.expect("session");
        let by = |o: Option<Operator>| o.map(|o| o.name);
        assert_eq!(
            by(store.operator_by_phone("+15550009999").await.unwrap()).as_deref(),
            Some("ana")
        );
        assert_eq!(
            by(store.operator_by_pin("pin-digest").await.unwrap()).as_deref(),
            Some("ana")
        );
        assert_eq!(
            by(store.operator_by_token("token-digest").await.unwrap()).as_deref(),
            Some("ana")
        );
        let live = store.session("session-digest", T0 + MINUTE).await.unwrap();
        assert_eq!(
            live.map(|(o, csrf)| (o.name, csrf)),
            Some(("ana".into(), "csrf".into()))
        );
        assert!(
            store
                .session("session-digest", T0 + 61 * MINUTE)
                .await
                .unwrap()
                .is_none(),
            "expired"
        );

        let disabled = store
            .update_operator("ana", &OperatorChange::Disable(T0 + 2 * MINUTE))
            .await;
        assert!(!disabled.expect("disabled").active);
        assert!(
            store
                .operator_by_phone("+15550009999")
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.operator_by_pin("pin-digest").await.unwrap().is_none());
        assert!(
            store
                .operator_by_token("token-digest")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .session("session-digest", T0 + MINUTE)
                .await
                .unwrap()
                .is_none()
        );
        store
            .update_operator("ana", &OperatorChange::Enable)
            .await
            .expect("enabled");
        assert!(
            store
                .operator_by_token("token-digest")
                .await
                .unwrap()
                .is_none(),
            "stays revoked"
        );
        let missing = store
            .update_operator("zoe", &OperatorChange::Enable)
            .await
            .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound(_)));
        let names: Vec<_> = store
            .operators()
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.name)
            .collect();
        assert_eq!(names, ["ana", "ben"]);
        assert_eq!(ben.categories, Vec::<String>::new());
    })
    .await;
}
