//! Names for staff: a request's category and the caller's path read by their titles on the
//! console and in the API, each step named by the flow version its call followed while the
//! server keeps it, by the current flow after a restart, and by its id made into words when no
//! flow has the step any more. Nothing stored changes.

use std::path::Path;
use std::time::{Duration, Instant};

use hotline::operators::Role;

use crate::staff::{leave_callback_request, request_id_of};
use crate::support::backends::backends;
use crate::support::console_client::{Console, add_console_user};
use crate::support::helpers::{Options, TestApp, WEEKEND_MORNING, shipped_flows, spawn_app};

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("the flow");
    assert!(
        text.contains(from),
        "test setup: {from:?} is not in the flow"
    );
    std::fs::write(file, text.replace(from, to)).expect("the flow saved");
}

/// Fails unless the request's page, once headed by `category`, names each step of the
/// caller's path given as `(node id, title)` by that title, with the id where the pointer rests.
async fn page_shows(console: &Console, page: &str, category: &str, steps: &[(&str, &str)]) {
    let html = page_headed(console, page, category).await;
    for (id, title) in steps {
        let cell =
            format!(r#"<td data-label="Step" title="In the flow file: [nodes.{id}]">{title}</td>"#);
        assert!(html.contains(&cell), "{cell}: {html}");
    }
}

/// The request's page once its heading names `category`: a saved change is loaded within a
/// poll or two, though checking it takes seconds on a busy machine.
async fn page_headed(console: &Console, page: &str, category: &str) -> String {
    let heading = format!("<h1>Callback request: {category}</h1>");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, html) = console.get(page).await;
        if html.contains(&heading) {
            return html;
        }
        assert!(
            Instant::now() < deadline,
            "the request's page never named its category {category:?}: {html}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A server on `url` for the flows in `dir`, reloading them every tenth of a second.
async fn serve(dir: &Path, url: &str) -> TestApp {
    spawn_app(Options {
        flows: dir.to_path_buf(),
        reload_every: 0.1,
        database_url: Some(url.to_string()),
        ..Options::at(WEEKEND_MORNING)
    })
    .await
}

#[tokio::test]
async fn a_callers_path_keeps_the_names_of_the_flow_it_followed() {
    for backend in backends().await {
        let dir = tempfile::tempdir().expect("a flows folder");
        let file = dir.path().join("victim_hotline.toml");
        std::fs::copy(shipped_flows().join("victim_hotline.toml"), &file).expect("copied");
        let app = serve(dir.path(), &backend.url).await;
        let sid = leave_callback_request(&app, "1", "2", "2", None).await;
        let page = format!("/operator/requests/{}", request_id_of(&app, &sid).await);
        let ana = add_console_user(&app, "ana", Role::Operator, &["victim_assistance"]).await;
        let console = Console::sign_in(&app, "ana").await;
        let first = [
            ("main_menu", "Main menu"),
            ("safe_to_message", "Safe to leave a message?"),
        ];
        page_shows(&console, &page, "Victim assistance", &first).await;

        // Staff rename the menu and the category: the category reads by its new title at once,
        // while the call's steps keep the names of the version it followed.
        edit(&file, "title = \"Main menu\"", "title = \"Start menu\"");
        edit(
            &file,
            "title = \"Victim assistance\"\n",
            "title = \"Victim services\"\n",
        );
        let kept = [("main_menu", "Main menu")];
        page_shows(&console, &page, "Victim services", &kept).await;
        let api = format!(
            "/api/v1/callbacks/{}",
            page.rsplit('/').next().unwrap_or("")
        );
        let (_, detail) = ana.get(&app, &api).await;
        assert_eq!(detail["category_title"], "Victim services", "{detail}");

        // After a restart the old version is gone: the current flow names the menu, and a step
        // renamed in the file since reads as its id in words.
        let (_kept, _) = app.stop().await;
        edit(&file, "safe_to_message", "safe_to_leave");
        let app = serve(dir.path(), &backend.url).await;
        let console = Console::sign_in(&app, "ana").await;
        let current = [
            ("main_menu", "Start menu"),
            ("safe_to_message", "Safe to message"),
        ];
        page_shows(&console, &page, "Victim services", &current).await;
        let (_, detail) = ana.get(&app, &api).await;
        let titles: Vec<(&str, &str)> = (detail["steps"].as_array().expect("steps").iter())
            .filter_map(|s| Some((s["node"].as_str()?, s["node_title"].as_str()?)))
            .collect();
        assert!(
            titles.contains(&("main_menu", "Start menu"))
                && titles.contains(&("safe_to_message", "Safe to message")),
            "{titles:?}"
        );
    }
}
