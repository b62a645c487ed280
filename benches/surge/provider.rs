//! The provider's side: simultaneous callers that place calls over one pooled HTTP/1.1 client,
//! sign every form post with `X-Twilio-Signature`, and follow the `action` URLs in the TwiML.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Request, StatusCode, header};
use hotline::http::signature::{AuthToken, expected_signature};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, Event};
use quick_xml::reader::Reader;
use tokio::task::JoinSet;

/// The kinds of webhook, for latencies.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Incoming,
    Gather,
    Record,
    Status,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Incoming, Kind::Gather, Kind::Record, Kind::Status];
}

/// The webhooks of one call, in order: the call comes in; the caller presses 1 (English), 2
/// (victim assistance, closed: the callback offer), 1 (call back this number) and 1 (safe to
/// leave a message: callers who say it is not are also asked when to call, a webhook more);
/// leaves a recording; hangs up.
pub const SCENARIO: [Kind; 7] = [
    Kind::Incoming,
    Kind::Gather,
    Kind::Gather,
    Kind::Gather,
    Kind::Gather,
    Kind::Record,
    Kind::Status,
];
const KEYS: [&str; 4] = ["1", CATEGORY_KEY, "1", "1"];
/// The main menu's key the callers press: 2, victim assistance.
const CATEGORY_KEY: &str = "2";
/// The hotline's number: callers dial it, and calls back show it.
pub const HOTLINE_NUMBER: &str = "+18005550100";
const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";

/// Which server a run is against: hotline is followed through its TwiML, the ceiling is not.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Run {
    Hotline,
    Ceiling,
}

/// What a run measured: its wall time and every webhook's latency by kind.
pub struct Outcome {
    pub elapsed: Duration,
    pub latencies: [Vec<Duration>; 4],
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Signs and sends the provider's webhooks over one pool of keep-alive connections; cheap to
/// clone, so every caller holds one.
#[derive(Clone)]
pub struct Sender {
    client: HttpClient,
    token: Arc<AuthToken>,
    /// Several instances behind one public address, as a load balancer spreads them.
    balancer: Option<Arc<Balancer>>,
}

/// A load balancer without stickiness: each request under the public address goes to the next
/// instance in turn, so a call's webhooks reach different instances one after another, the
/// hardest case for instances that share only the database.
pub struct Balancer {
    public: String,
    instances: Vec<String>,
    next: AtomicUsize,
}

impl Balancer {
    pub fn new(public: &str, instances: Vec<String>) -> Balancer {
        assert!(!instances.is_empty(), "a balancer needs an instance");
        Balancer {
            public: public.to_string(),
            instances,
            next: AtomicUsize::new(0),
        }
    }

    /// Where a request to `url` is sent: unchanged unless it is under the public address.
    fn route(&self, url: &str) -> String {
        match url.strip_prefix(&self.public) {
            Some(rest) => {
                let n = self.next.fetch_add(1, Ordering::Relaxed) % self.instances.len();
                format!("{}{rest}", self.instances[n])
            }
            None => url.to_string(),
        }
    }
}

impl Sender {
    /// A pool that keeps up to `idle` connections open between requests.
    pub fn new(idle: usize, token: AuthToken) -> Sender {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(idle)
            .build(connector);
        Sender {
            client,
            token: Arc::new(token),
            balancer: None,
        }
    }

    /// Requests under `balancer`'s public address go to its instances, signed for the public
    /// address as the provider signs them.
    pub fn behind(mut self, balancer: Balancer) -> Sender {
        self.balancer = Some(Arc::new(balancer));
        self
    }

    /// Signs and posts a form and returns the answer with the time from sending the request to
    /// having read the whole answer; any status but 200 (204 for the status callback) stops the
    /// benchmark.
    pub async fn post(&self, url: &str, form: Vec<(String, String)>) -> (String, Duration) {
        let signature = expected_signature(&self.token, url, &form);
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&form)
            .finish();
        let target = match &self.balancer {
            Some(balancer) => balancer.route(url),
            None => url.to_string(),
        };
        let request = Request::post(&target)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", signature)
            .body(Full::new(Bytes::from(body)))
            .unwrap_or_else(|e| panic!("cannot build a request to {url}: {e}"));
        let started = Instant::now();
        let response = self
            .client
            .request(request)
            .await
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status();
        let answer = response
            .into_body()
            .collect()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: reading the answer: {e}"))
            .to_bytes();
        let latency = started.elapsed();
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let ok = status == StatusCode::OK || status == StatusCode::NO_CONTENT;
        assert!(ok, "POST {url}: status {status}: {answer}");
        (answer, latency)
    }
}

/// The provider: one connection pool shared by every caller.
pub struct Provider {
    sender: Sender,
    /// The first call's number: calls are numbered from it, each with its own id and caller.
    first: usize,
    /// The main menu's key the callers press.
    category_key: &'static str,
}

impl Provider {
    pub fn new(concurrency: usize, token: AuthToken) -> Provider {
        Provider {
            sender: Sender::new(concurrency, token),
            first: 0,
            category_key: CATEGORY_KEY,
        }
    }

    /// Callers whose webhooks are spread over several instances by `balancer`.
    pub fn behind(mut self, balancer: Balancer) -> Provider {
        self.sender = self.sender.behind(balancer);
        self
    }

    /// Callers whose calls are numbered from `first` and who press `category_key` at the main
    /// menu (still a closed category, so each leaves a callback request).
    pub fn numbered_from(mut self, first: usize, category_key: &'static str) -> Provider {
        self.first = first;
        self.category_key = category_key;
        self
    }

    /// `concurrency` callers place `calls` calls between them against `base`.
    pub async fn run(&self, base: &str, run: Run, calls: usize, concurrency: usize) -> Outcome {
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut callers = JoinSet::new();
        for _ in 0..concurrency {
            let caller = Caller {
                sender: self.sender.clone(),
                base: base.to_string(),
                first: self.first,
                category_key: self.category_key,
                latencies: Default::default(),
            };
            callers.spawn(caller.work(Arc::clone(&next), calls, run));
        }
        let mut latencies: [Vec<Duration>; 4] = Default::default();
        while let Some(done) = callers.join_next().await {
            let mine = done.expect("a caller failed (see the message above)");
            for (all, some) in latencies.iter_mut().zip(mine) {
                all.extend(some);
            }
        }
        Outcome {
            elapsed: started.elapsed(),
            latencies,
        }
    }
}

/// One simultaneous caller, placing one call after another.
struct Caller {
    sender: Sender,
    base: String,
    first: usize,
    category_key: &'static str,
    latencies: [Vec<Duration>; 4],
}

impl Caller {
    async fn work(mut self, next: Arc<AtomicUsize>, calls: usize, run: Run) -> [Vec<Duration>; 4] {
        loop {
            let n = next.fetch_add(1, Ordering::Relaxed);
            if n >= calls {
                return self.latencies;
            }
            let call = CallParams::new(self.first + n);
            match run {
                Run::Hotline => self.follow_call(&call).await,
                Run::Ceiling => self.unfollowed_call(&call).await,
            }
        }
    }

    /// The closed-hours callback scenario, following the TwiML like the provider.
    async fn follow_call(&mut self, call: &CallParams) {
        let incoming = format!("{}/voice/incoming", self.base);
        let mut twiml = self.post(Kind::Incoming, &incoming, call.form(&[])).await;
        for key in self.keys() {
            let action = attribute(&twiml, "Gather", "action").unwrap_or_else(|| {
                panic!("{}: no <Gather action> to press {key}: {twiml}", call.sid)
            });
            twiml = self
                .post(Kind::Gather, &action, call.form(&[("Digits", key)]))
                .await;
        }
        let action = attribute(&twiml, "Record", "action")
            .unwrap_or_else(|| panic!("{}: no <Record action>: {twiml}", call.sid));
        twiml = self.post(Kind::Record, &action, call.recording()).await;
        assert!(
            twiml.contains("Your request has been saved"),
            "{}: the recording was not confirmed: {twiml}",
            call.sid
        );
        let status = format!("{}/voice/status", self.base);
        self.post(Kind::Status, &status, call.completed()).await;
    }

    /// The keys pressed at the four menus, with this caller's category.
    fn keys(&self) -> [&'static str; 4] {
        let mut keys = KEYS;
        keys[1] = self.category_key;
        keys
    }

    /// The same posts in the same order, to fixed paths, ignoring the answers.
    async fn unfollowed_call(&mut self, call: &CallParams) {
        let keys = self.keys();
        let mut keys = keys.iter();
        for kind in SCENARIO {
            let (path, form) = match kind {
                Kind::Incoming => ("incoming", call.form(&[])),
                Kind::Gather => (
                    "gather",
                    call.form(&[("Digits", keys.next().unwrap_or(&"1"))]),
                ),
                Kind::Record => ("record", call.recording()),
                Kind::Status => ("status", call.completed()),
            };
            let url = format!("{}/voice/{path}", self.base);
            self.post(kind, &url, form).await;
        }
    }

    /// Posts a signed form and records its latency.
    async fn post(&mut self, kind: Kind, url: &str, form: Vec<(String, String)>) -> String {
        let (answer, latency) = self.sender.post(url, form).await;
        self.latencies[kind as usize].push(latency);
        answer
    }
}

/// The parameters the provider sends with every webhook of one call (one leg of it).
pub struct CallParams {
    pub sid: String,
    from: String,
    to: String,
    direction: &'static str,
}

impl CallParams {
    /// Call `n` to the hotline: its own call id and its own caller number.
    pub fn new(n: usize) -> CallParams {
        CallParams::leg(
            format!("CA{n:032x}"),
            &format!("+12025{:06}", n % 1_000_000),
            HOTLINE_NUMBER,
            "inbound",
        )
    }

    /// Any leg: an operator's call to the operator line (`inbound`), or the leg a `<Dial>`
    /// rings (`outbound-dial`, from the caller ID the dial shows).
    pub fn leg(sid: String, from: &str, to: &str, direction: &'static str) -> CallParams {
        CallParams {
            sid,
            from: from.to_string(),
            to: to.to_string(),
            direction,
        }
    }

    pub fn form(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        self.form_with_status("in-progress", extra)
    }

    fn form_with_status(&self, status: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let standard = [
            ("CallSid", self.sid.as_str()),
            ("AccountSid", ACCOUNT_SID),
            ("From", self.from.as_str()),
            ("To", self.to.as_str()),
            ("CallStatus", status),
            ("Direction", self.direction),
            ("ApiVersion", "2010-04-01"),
        ];
        standard
            .iter()
            .chain(extra)
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The `<Record>` action: a recording of 12 seconds, ended with `#`.
    fn recording(&self) -> Vec<(String, String)> {
        let url = format!("https://api.example.com/rec/RE{}", &self.sid[2..]);
        let extra = [
            ("RecordingUrl", url.as_str()),
            ("RecordingDuration", "12"),
            ("Digits", "#"),
        ];
        self.form(&extra)
    }

    /// The status callback at hang-up.
    pub fn completed(&self) -> Vec<(String, String)> {
        let extra = [("CallDuration", "75"), ("SequenceNumber", "0")];
        self.form_with_status("completed", &extra)
    }
}

/// The unescaped value of attribute `name` of the first `<element>` in `twiml`.
pub fn attribute(twiml: &str, element: &str, name: &str) -> Option<String> {
    let mut reader = Reader::from_str(twiml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == element => {
                let attr = e.try_get_attribute(name).ok()??;
                let value = attr.normalized_value(XmlVersion::Implicit1_0).ok()?;
                return Some(value.into_owned());
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The text of the first `<element>` in `twiml` (one without child elements), with its
/// references resolved and its ends trimmed.
pub fn text(twiml: &str, element: &str) -> Option<String> {
    let mut reader = Reader::from_str(twiml);
    let mut inside = None;
    loop {
        match (reader.read_event().ok()?, &mut inside) {
            (Event::Start(e), None) if e.name().as_ref() == element => inside = Some(String::new()),
            (Event::Text(t), Some(text)) => text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            (Event::GeneralRef(r), Some(text)) => text.push_str(&reference(&r)?),
            (Event::End(_), Some(text)) => return Some(text.trim().to_string()),
            (Event::Eof, _) => return None,
            _ => {}
        }
    }
}

/// What a character or predefined entity reference stands for.
fn reference(r: &BytesRef<'_>) -> Option<String> {
    match r.resolve_char_ref().ok()? {
        Some(c) => Some(c.to_string()),
        None => resolve_predefined_entity(r).map(str::to_string),
    }
}
