//! The roster in the store: operators, their credentials and sessions follow their account
//! (a disabled operator's tokens and sessions stop at once), wrong operator-line PINs are
//! counted over their windows, and old PIN digests convert to keyed ones, on every backend.

use hotline::operators::credentials::digest;
use hotline::operators::pin_key::PinKey;
use hotline::operators::pin_limits::{PinFailures, SHORT_WINDOW_MINUTES};
use hotline::operators::{Operator, Role};
use hotline::store::{Cutoffs, NewOperator, NewSession, OperatorChange, StoreError};

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

#[tokio::test]
async fn wrong_pins_are_counted_per_number_and_in_all_over_their_windows() {
    on_every_backend(|store| async move {
        let quarter = SHORT_WINDOW_MINUTES * MINUTE;
        for at in [T0, T0 + quarter + MINUTE, T0 + quarter + 2 * MINUTE] {
            store.pin_failed("tag-a", at).await.expect("counted");
        }
        store
            .pin_failed("tag-b", T0 + quarter + MINUTE)
            .await
            .expect("counted");
        let now = T0 + quarter + 3 * MINUTE;
        let seen = store.pin_failures("tag-a", now).await.expect("counts");
        let expected = PinFailures {
            number_short: 2,
            number_day: 3,
            line_short: 3,
            line_day: 4,
        };
        assert_eq!(seen, expected);
        let a_day_later = store
            .pin_failures("tag-a", T0 + 24 * 60 * MINUTE + quarter + 2 * MINUTE)
            .await
            .expect("counts");
        assert_eq!(a_day_later.number_day, 1, "{a_day_later:?}");

        let purged = store
            .purge(
                &Cutoffs {
                    pin_failures: Some(now - quarter),
                    ..Cutoffs::default()
                },
                now,
            )
            .await
            .expect("purged");
        let rows = purged
            .iter()
            .find(|p| p.class == "pin_failures")
            .map(|p| p.rows);
        assert_eq!(
            rows,
            Some(1),
            "the failure outside the window goes: {purged:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn plain_pin_digests_are_converted_once_and_keyed_ones_are_left_alone() {
    on_every_backend(|store| async move {
        operator(&*store, "ana", Role::Operator, &[]).await;
        operator(&*store, "ben", Role::Operator, &[]).await;
        let key = PinKey::new([3; 32]);
        let (ana_pin, ben_pin) = ("11223344", "55667788");
        let plain = OperatorChange::Pin(digest(ana_pin));
        store.update_operator("ana", &plain).await.expect("plain");
        let keyed = OperatorChange::Pin(key.digest(ben_pin));
        store.update_operator("ben", &keyed).await.expect("keyed");

        assert_eq!(store.rekey_pins(&key).await.expect("converted"), 1);
        assert_eq!(store.rekey_pins(&key).await.expect("again"), 0);
        for (name, pin) in [("ana", ana_pin), ("ben", ben_pin)] {
            let found = store
                .operator_by_pin(&key.digest(pin))
                .await
                .expect("lookup");
            assert_eq!(found.map(|o| o.name).as_deref(), Some(name));
        }
        assert!(
            store
                .operator_by_pin(&digest(ana_pin))
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}
