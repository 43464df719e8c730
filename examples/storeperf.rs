use eventscope::store::EventLog;
use eventscope::{Json, NewEvent, Timestamp};
use std::ops::ControlFlow;
use std::time::Instant;
fn main() {
    let n: u64 = 1_000_000;
    let dir = tempfile::tempdir().unwrap();
    let log = EventLog::create(dir.path().join("l.redb")).unwrap();
    let t = Instant::now();
    let mut evs = Vec::new();
    for i in 0..n {
        let c = i % 100_000;
        let e = NewEvent::new(format!("customer-{c}"), if i % 3 == 0 {"CustomerRegistered"} else {"OrderPlaced"}, Timestamp::from_unix_millis(1_700_000_000_000 + i as i64 * 1000),
              Json::parse_text(&format!(r#"{{"name":"Customer {c}","email":"c{c}@example.com","address":{{"street":"1 Main St","city":"Leeds","postcode":"LS1","country":"UK"}}}}"#)).unwrap())
              .with_metadata(Json::parse_text(&format!(r#"{{"correlation_id":"flow-{c}","causation_id":"cmd-{i}"}}"#)).unwrap());
        evs.push(e);
    }
    println!("build {:?}", t.elapsed());
    let t = Instant::now();
    log.append_with(|a| {
        for e in &evs {
            a.push(e)?;
        }
        Ok::<_, eventscope::store::StoreError>(())
    })
    .unwrap();
    let el = t.elapsed();
    println!(
        "append {n}: {:?} = {:.0}/s",
        el,
        n as f64 / el.as_secs_f64()
    );
    drop(log);
    let log = EventLog::open(dir.path().join("l.redb")).unwrap();
    let t = Instant::now();
    let mut c = 0u64;
    log.scan(1..=u64::MAX, |e| {
        c += e.data.len() as u64;
        ControlFlow::Continue(())
    })
    .unwrap();
    let el = t.elapsed();
    println!("scan: {:?} = {:.0}/s {c}", el, n as f64 / el.as_secs_f64());
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    for l in s.lines() {
        if l.starts_with("VmHWM") || l.starts_with("VmRSS") {
            println!("{l}");
        }
    }
    println!(
        "size {}",
        std::fs::metadata(dir.path().join("l.redb")).unwrap().len()
    );
}
