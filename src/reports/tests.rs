//! The reports' counting rules on small, hand-checked call logs.

use std::collections::BTreeMap;

use super::staffing::StaffingHour;
use super::*;

fn call(sid: &str, category: Option<&str>, started_at: i64) -> CallFact {
    CallFact {
        call_sid: sid.into(),
        hotline: "victims".into(),
        started_at,
        category: category.map(str::to_string),
        ended: true,
    }
}

fn step(sid: &str, seq: i64, node: &str, outcome: &str) -> StepFact {
    StepFact {
        call_sid: sid.into(),
        seq,
        node: node.into(),
        outcome: outcome.into(),
    }
}

fn fallback() -> Routes {
    Routes {
        fallback: BTreeMap::from([("victims".to_string(), "general".to_string())]),
        ..Routes::default()
    }
}

fn day(ms: i64) -> String {
    format!("day{}", ms / 1000)
}

fn hour_of_week(ms: i64) -> HourOfWeek {
    let hour = (ms / 3_600_000).rem_euclid(168);
    ((hour / 24) as u8, (hour % 24) as u8)
}

/// A week from the epoch, whose hour 0 the tests call Monday 00:00.
fn period() -> Period<'static> {
    Period {
        from: 0,
        to: 168 * 3_600_000,
        date_of: &day,
        hour_of: &hour_of_week,
        goal: StaffingGoal::default(),
        category_title: &|id| format!("title of {id}"),
        node_title: &|id| format!("step {id}"),
    }
}

#[test]
fn triage_tells_menu_choices_from_general_chosen_or_imposed() {
    let facts = Facts {
        calls: vec![
            call("A", Some("victim_assistance"), 0),
            call("B", Some("general"), 0),
            call("C", Some("general"), 0),
            call("D", None, 0),
        ],
        steps: vec![step(
            "C",
            3,
            "main_menu",
            "no input, attempt 3 of 3: giving up",
        )],
        ..Facts::default()
    };
    let report = compute(&facts, &fallback(), &period());
    let got: Vec<(&str, u64)> = report.triage.iter().map(|t| (t.route, t.calls)).collect();
    assert_eq!(
        got,
        [
            ("menu", 1),
            ("chose_general", 1),
            ("sent_to_general", 1),
            ("untriaged", 1)
        ]
    );
    assert!((report.triage[0].share - 0.25).abs() < 1e-9);
}

#[test]
fn calls_are_counted_per_local_day_and_category() {
    let facts = Facts {
        calls: vec![
            call("A", Some("general"), 1000),
            call("B", Some("general"), 1000),
            call("C", None, 2000),
        ],
        ..Facts::default()
    };
    let report = compute(&facts, &fallback(), &period());
    let got: Vec<(String, String, u64)> = report
        .calls_per_day
        .into_iter()
        .map(|d| (d.date, d.category, d.calls))
        .collect();
    assert_eq!(
        got,
        [
            ("day1".into(), "general".into(), 2),
            ("day2".into(), UNTRIAGED.into(), 1)
        ]
    );
}

#[test]
fn drop_off_counts_the_last_node_of_ended_calls_nobody_helped() {
    let mut open = call("OPEN", None, 0);
    open.ended = false;
    let facts = Facts {
        calls: vec![
            call("A", None, 0),
            call("B", Some("general"), 0),
            call("C", None, 0),
            open,
        ],
        steps: vec![
            step("A", 1, "welcome", "played"),
            step("A", 2, "language", "asked"),
            step("B", 1, "welcome", "played"),
            step("B", 2, "language", "asked"),
            step("B", 3, "to_general", "queued in general"),
            step("C", 1, "welcome", "played"),
            step("C", 2, "language", "asked"),
            step("C", 3, "main_menu", "asked"),
            step("OPEN", 1, "welcome", "played"),
        ],
        ..Facts::default()
    };
    let report = compute(&facts, &fallback(), &period());
    let row = |node: &str| report.drop_off.iter().find(|r| r.node == node).cloned();
    let language = row("language").expect("language row");
    assert_eq!((language.reached, language.hung_up), (3, 1));
    let menu = row("main_menu").expect("menu row");
    assert_eq!((menu.reached, menu.hung_up), (1, 1));
    assert_eq!(
        row("welcome").map(|r| r.reached),
        Some(3),
        "calls in progress are not counted"
    );
    assert_eq!(report.drop_off[0].hung_up, 1);
}

#[test]
fn wait_statistics_use_nearest_rank_percentiles() {
    let waits = (1..=10)
        .map(|i| WaitFact {
            category: "general".into(),
            result: "bridged".into(),
            wait_seconds: i * 10,
            entered_at: 0,
            handle_seconds: Some(60),
        })
        .chain([WaitFact {
            category: "general".into(),
            result: "hangup".into(),
            wait_seconds: 500,
            entered_at: 0,
            handle_seconds: None,
        }])
        .collect();
    let requests = vec![
        RequestFact {
            category: "general".into(),
            waiting_since: 0,
            first_attempt_at: Some(60_000),
            incomplete: false,
        },
        RequestFact {
            category: "general".into(),
            waiting_since: 0,
            first_attempt_at: None,
            incomplete: true,
        },
    ];
    let facts = Facts {
        waits,
        requests,
        missed_requests: vec!["general".into(), "legal".into()],
        ..Facts::default()
    };
    let report = compute(&facts, &fallback(), &period());
    let live = &report.answer_times[0];
    assert_eq!((live.count, live.missed), (10, 1));
    assert_eq!(
        (live.median_seconds, live.p90_seconds, live.max_seconds),
        (Some(50), Some(90), Some(100))
    );
    let callbacks = &report.callback_times[0];
    assert_eq!(
        (callbacks.count, callbacks.missed, callbacks.median_seconds),
        (1, 1, Some(60))
    );
    let left: Vec<_> = report
        .callback_requests
        .iter()
        .map(|r| (r.category.as_str(), r.saved, r.incomplete, r.missed))
        .collect();
    assert_eq!(left, [("general", 1, 1, 1), ("legal", 0, 0, 1)]);
    let csv = crate::reports::csv::render(&report, "callback-requests").expect("known");
    assert_eq!(
        csv,
        "category,saved,incomplete,missed,category_title\n\
         general,1,1,1,title of general\nlegal,0,0,1,title of legal\n"
    );
}

#[test]
fn csv_quotes_what_needs_it_and_defuses_formulas() {
    let facts = Facts {
        calls: vec![
            call("A", Some("=HYPERLINK(\"x\")"), 0),
            call("B", Some("a,b"), 0),
        ],
        ..Facts::default()
    };
    let report = compute(&facts, &fallback(), &period());
    let text = csv::render(&report, "calls-per-day").expect("known report");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "date,category,calls,category_title");
    assert_eq!(
        lines[1],
        "day0,\"'=HYPERLINK(\"\"x\"\")\",1,\"title of =HYPERLINK(\"\"x\"\")\""
    );
    assert_eq!(lines[2], "day0,\"a,b\",1,\"title of a,b\"");
    assert!(csv::render(&report, "nonsense").is_none());
    for name in csv::NAMES {
        assert!(csv::render(&report, name).is_some(), "{name}");
    }
}

#[test]
fn erlang_c_gives_the_operators_of_the_textbook_case() {
    // 200 calls an hour of 180 s: 10 erlangs; 80 % within 20 s needs 14 (13 give 79.6 %).
    let goal = StaffingGoal {
        share: 0.8,
        within_seconds: 20,
    };
    assert_eq!(staffing::operators_needed(200.0, 180.0, goal), 14);
    let looser = StaffingGoal {
        share: 0.79,
        ..goal
    };
    assert_eq!(staffing::operators_needed(200.0, 180.0, looser), 13);
    assert_eq!(staffing::operators_needed(0.0, 180.0, goal), 0);
    assert_eq!(staffing::operators_needed(1.0, 180.0, goal), 1);
}

#[test]
fn staffing_counts_each_hour_of_the_week_from_the_queue_and_the_requests() {
    let hour = 3_600_000;
    // Tuesday 10:00 in both weeks of a two-week period: 12 answered calls of 120 s in all.
    let tuesday_ten = (24 + 10) * hour;
    let waits: Vec<WaitFact> = (0..12)
        .map(|i| WaitFact {
            category: "general".into(),
            result: "bridged".into(),
            wait_seconds: 30,
            entered_at: tuesday_ten + (i % 2) * 168 * hour + i * 1000,
            handle_seconds: Some(120),
        })
        .collect();
    let requests = vec![RequestFact {
        category: "general".into(),
        waiting_since: tuesday_ten + 60_000,
        first_attempt_at: None,
        incomplete: false,
    }];
    let facts = Facts {
        waits,
        requests,
        ..Facts::default()
    };
    let two_weeks = Period {
        to: 2 * 168 * hour,
        ..period()
    };
    let plan = compute(&facts, &fallback(), &two_weeks).staffing;
    let asked = |h: &&StaffingHour| h.calls_offered > 0.0 || h.callback_requests > 0.0;
    assert_eq!(plan.hours.iter().filter(asked).count(), 1, "{plan:?}");
    let h = &plan.hours[0];
    assert_eq!((h.weekday, h.hour), ("Tue", 10));
    assert_eq!(h.calls_offered, 6.0, "12 calls over two such hours");
    assert_eq!(h.handle_seconds, Some(120.0));
    assert_eq!(h.callback_requests, 0.5);
    assert_eq!(
        h.operators_needed,
        staffing::operators_needed(6.0, 120.0, StaffingGoal::default())
    );
    assert!(h.operators_needed >= 1);
    let csv = csv::render(&compute(&facts, &fallback(), &two_weeks), "staffing").unwrap();
    assert!(csv.starts_with("weekday,hour,calls_offered"), "{csv}");
    assert!(csv.contains("Tue,10,6,120,"), "{csv}");
}

/// `callback_work`'s hand-checked case through the whole report: one week, 900 s per request
/// measured from the line's dials, 4 hours for `general` and 24 for `records`.
#[test]
fn staffing_adds_the_operators_calling_back_takes_beside_the_live_line() {
    let hour = 3_600_000;
    let request = |category: &str, at: i64| RequestFact {
        category: category.into(),
        waiting_since: at,
        first_attempt_at: None,
        incomplete: false,
    };
    let mut requests: Vec<RequestFact> = (0..30).map(|_| request("general", 18 * hour)).collect();
    requests.extend((0..3).map(|_| request("general", 22 * hour + 60_000)));
    requests.extend((0..11).map(|_| request("records", 10 * hour)));
    let dials = ["a", "b", "c", "d", "e"]
        .map(|r| DialFact {
            request_id: r.into(),
            seconds: 900,
        })
        .to_vec();
    let facts = Facts {
        requests,
        dials,
        ..Facts::default()
    };
    let rule = |within_hours| CallbackRule {
        within_hours,
        calling_hours: crate::triage::schedule::Shift::parse("09:00-20:00").unwrap(),
    };
    let routes = Routes {
        callbacks: BTreeMap::from([("general".into(), rule(4)), ("records".into(), rule(24))]),
        ..fallback()
    };
    let report = compute(&facts, &routes, &period());
    let plan = &report.staffing;
    let handle = (plan.callback_handle_seconds, plan.callbacks_timed);
    assert!(
        handle == (900.0, 5) && plan.callback_handle_measured,
        "{plan:?}"
    );
    // weekday, hour, calls offered, handle time, live operators, requests, calling back's
    // load and operators, in all.
    let csv = csv::render(&report, "staffing").unwrap();
    for row in [
        "Mon,10,0,,0,11,0.25,1,1",
        "Mon,18,0,,0,30,4,4,4",
        "Mon,19,0,,0,0,4,4,4",
        "Mon,22,0,,0,3,0,0,0",
        "Tue,9,0,,0,0,1,1,1",
    ] {
        assert!(csv.lines().any(|line| line == row), "{row}: {csv}");
    }
    assert!(!csv.contains("\nMon,20,"), "nobody is rung at 20:00: {csv}");
}

#[test]
fn each_triage_step_counts_for_the_category_its_node_sends_callers_to() {
    let facts = Facts {
        calls: vec![
            call("A", Some("general"), 0),
            call("B", Some("victim_assistance"), 0),
            call("C", Some("general"), 0),
        ],
        steps: vec![
            // A found no specialist, then chose an operator on the callback path.
            step("A", 3, "to_victim_assistance", "closed: open but unstaffed"),
            step("A", 5, "to_general", "queued in general"),
            step("B", 3, "to_victim_assistance", "closed: Christmas Day"),
            step("B", 4, "callback_offer", "asked"),
            // A node the flows no longer have counts for the call's category.
            step("C", 2, "old_node", "closed: after hours"),
        ],
        ..Facts::default()
    };
    let node = |n: &str| ("victims".to_string(), n.to_string());
    let routes = Routes {
        triage_nodes: BTreeMap::from([
            (node("to_victim_assistance"), "victim_assistance".into()),
            (node("to_general"), "general".into()),
        ]),
        ..fallback()
    };
    let got = compute(&facts, &routes, &period()).triage_outcomes;
    assert_eq!(
        got,
        [
            TriageOutcomes {
                category: "general".into(),
                category_title: "title of general".into(),
                queued: 1,
                after_hours: 1,
                ..TriageOutcomes::default()
            },
            TriageOutcomes {
                category: "victim_assistance".into(),
                category_title: "title of victim_assistance".into(),
                closure: 1,
                unstaffed: 1,
                ..TriageOutcomes::default()
            },
        ]
    );
    let csv = csv::render(&compute(&facts, &routes, &period()), "triage-outcomes").unwrap();
    assert!(
        csv.contains("victim_assistance,0,0,1,0,1,title of victim_assistance"),
        "{csv}"
    );
}

#[test]
fn every_row_that_names_a_category_or_a_step_has_its_title_beside_the_id() {
    let facts = Facts {
        calls: vec![call("A", None, 0), call("B", Some("general"), 0)],
        steps: vec![step("A", 1, "main_menu", "asked")],
        ..Facts::default()
    };
    let report = compute(&facts, &fallback(), &period());
    let days: Vec<(&str, &str)> = (report.calls_per_day.iter())
        .map(|d| (d.category.as_str(), d.category_title.as_str()))
        .collect();
    assert_eq!(
        days,
        [
            (UNTRIAGED, UNTRIAGED_TITLE),
            ("general", "title of general")
        ]
    );
    assert_eq!(report.drop_off[0].node_title, "step main_menu");
    let json = serde_json::to_value(&report).expect("JSON");
    assert_eq!(json["drop_off"][0]["node"], "main_menu");
    assert_eq!(json["drop_off"][0]["node_title"], "step main_menu");
    assert_eq!(json["calls_per_day"][1]["category"], "general");
    let csv = csv::render(&report, "drop-off").expect("known");
    assert_eq!(
        csv,
        "node,reached,hung_up,rate,node_title\nmain_menu,1,1,1.0000,step main_menu\n"
    );
}
