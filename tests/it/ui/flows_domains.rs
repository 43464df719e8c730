//! The flows view on logs of other domains: it runs the mapping of the
//! domain file beside the log, else the one the log suggests, says which
//! and where it came from, and `m` moves to the next mapping.

use super::support::Harness;
use eventscope::simulation::{Flow, Mapping, Origin};
use eventscope::ui::View;

const SIZES: [(u16, u16); 2] = [(100, 30), (80, 24)];

fn flows(sample: &str, width: u16, height: u16) -> Harness {
    let mut h = Harness::bundled(sample, width, height);
    h.keys("4");
    assert_eq!(h.app.view(), View::Flows);
    h
}

fn step_to(h: &mut Harness, seq: u64) {
    while h.app.flows_seq() < seq {
        h.keys(".");
    }
    assert_eq!(h.app.flows_seq(), seq);
}

/// The view of `sample` at `seq`, at both sizes, with the mapping line.
fn snapshot(sample: &str, seq: u64, mapping: &str) {
    for (width, height) in SIZES {
        let mut h = flows(sample, width, height);
        step_to(&mut h, seq);
        let screen = h.screen(width, height);
        let line = screen.lines().find(|l| l.contains("mapping 1/")).unwrap();
        assert!(line.contains(mapping), "{screen}");
        insta::assert_snapshot!(format!("flows_{sample}_{width}x{height}"), screen);
    }
}

#[test]
fn the_library_view_runs_its_domain_files_mapping() {
    // Seq 17: Yuki borrows Dune the moment after her new e-mail address (16).
    snapshot("library", 17, "file library.domain.toml: source member");
    let h = flows("library", 100, 30);
    let (choice, count) = h.app.flows_mapping();
    assert_eq!(
        choice.unwrap().origin,
        Origin::File("library.domain.toml".into())
    );
    assert!(count > 1);
}

#[test]
fn the_bank_view_runs_its_domain_files_mapping() {
    // Seq 43: Alan receives the transfer Ada sent at 42.
    snapshot("bank", 43, "file bank.domain.toml: source acc");
}

#[test]
fn both_flows_work_on_the_library_and_on_the_bank() {
    for (sample, end) in [("library", 34), ("bank", 81)] {
        let mut h = flows(sample, 80, 24);
        step_to(&mut h, end);
        let report = h.app.flows_simulation().report();
        assert!(report.notification.work_done > 0, "{sample}");
        assert!(report.state_transfer.work_done > 0, "{sample}");
    }
}

#[test]
fn without_a_domain_file_the_retail_log_runs_its_proposal() {
    let h = Harness::retail(80, 24);
    let (choice, _) = h.app.flows_mapping();
    let choice = choice.unwrap();
    assert_eq!(choice.mapping, Mapping::retail());
    assert!(matches!(choice.origin, Origin::Proposed(_)));
    let mut h = h;
    h.keys("4");
    let screen = h.screen(80, 24);
    assert!(screen.contains("mapping 1/"), "{screen}");
    assert!(screen.contains("proposed: source customer"), "{screen}");
}

#[test]
fn m_runs_the_next_mapping_to_the_same_moment_and_comes_back_round() {
    let mut h = flows("library", 100, 30);
    step_to(&mut h, 20);
    let first = h.app.flows_simulation().report();
    let (choice, count) = h.app.flows_mapping();
    let first_mapping = choice.unwrap().mapping.clone();
    h.keys("m");
    assert_eq!(h.app.flows_seq(), 20, "the run is at the same moment");
    let (choice, _) = h.app.flows_mapping();
    let second = choice.unwrap().clone();
    assert_ne!(second.mapping, first_mapping);
    assert!(matches!(second.origin, Origin::Proposed(_)));
    assert_eq!(h.app.flows_simulation().mapping(), &second.mapping);
    let screen = h.screen(100, 30);
    assert!(
        screen.contains(&format!("mapping 2/{count} proposed")),
        "{screen}"
    );
    // The proposal works at reservations too (seq 15), the file does not.
    assert!(
        second
            .mapping
            .def()
            .work
            .contains(&"BookReserved".to_string())
    );
    let report = h.app.flows_simulation().report();
    assert_eq!(
        report.state_transfer.work_done,
        first.state_transfer.work_done + 1
    );
    // Round the cycle: back to the file's mapping and the same run.
    for _ in 1..count {
        h.keys("m");
    }
    assert_eq!(h.app.flows_mapping().0.unwrap().mapping, first_mapping);
    assert_eq!(h.app.flows_simulation().report(), first);
    // The entity compared is one of the source's.
    let entity = h.app.flows_entity().unwrap();
    assert!(entity.starts_with("member-"), "{entity}");
    assert!(
        h.app
            .flows_simulation()
            .consumer_view(Flow::StateTransfer, &entity)
            .is_some()
    );
}
