//! `evshim-check BINARY...`: whether a program built against libevent 2.1 runs on evshim
//! without rebuilding, and which libevent functions it would miss.
//!
//! It reads the ELF dynamic sections of the program and of every library it needs (found as
//! the dynamic linker would, see `search`), works out which imported symbols bind to a
//! libevent library, and compares them with the dynamic symbol table of the evshim library
//! itself (never a hard-coded list). See `--help` for the verdicts and exit status.

mod elf;
mod search;

use elf::Object;
use search::{Searcher, Via};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: evshim-check [--evshim PATH] [--all] BINARY...

Reads the ELF dynamic section of each BINARY and of the libraries it needs (DT_RPATH,
LD_LIBRARY_PATH, DT_RUNPATH, the directories of /etc/ld.so.conf, the standard directories),
lists the libevent functions it imports that evshim does not export, grouped by the libevent
library that provides them today, and gives a verdict.

  --evshim PATH  the evshim library to compare with (default: ../lib/libevent-2.1.so.7
                 next to this command, as `make install` and `make` lay it out)
  --all          also list every libevent function the binary imports

Exit status (with several binaries, the highest):
  0  runs on evshim both ways: LD_PRELOAD=.../libevent-2.1.so.7, or LD_LIBRARY_PATH=DIR
     where DIR holds evshim as libevent-2.1.so.7, libevent_core-2.1.so.7 and
     libevent_pthreads-2.1.so.7
  1  runs on evshim via LD_PRELOAD only (a DT_RPATH finds the real libevent before
     LD_LIBRARY_PATH is searched)
  2  not yet: it imports libevent functions evshim does not export, or needs
     libevent_extra / libevent_openssl, which evshim does not provide
  3  nothing to replace: no libevent 2.1 library among its dependencies
  4  error: a file could not be read, or the evshim library was not found
";

/// The libevent libraries, by the names programs are linked to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// libevent-2.1.so.7: core and extra in one file.
    Combined,
    Core,
    Pthreads,
    Extra,
    Openssl,
    /// Another libevent ABI (libevent-2.0.so.5, libevent-1.4.so.2, ...).
    OtherAbi,
}

fn libevent_kind(name: &str) -> Option<Kind> {
    Some(match name {
        "libevent-2.1.so.7" => Kind::Combined,
        "libevent_core-2.1.so.7" => Kind::Core,
        "libevent_pthreads-2.1.so.7" => Kind::Pthreads,
        "libevent_extra-2.1.so.7" => Kind::Extra,
        "libevent_openssl-2.1.so.7" => Kind::Openssl,
        n if n.starts_with("libevent-") || n.starts_with("libevent_") => Kind::OtherAbi,
        _ => return None,
    })
}

/// Name prefixes of libevent's public functions, for imports whose library is not installed
/// here (so the tool cannot see what it defines).
const LIBEVENT_PREFIXES: [&str; 12] = [
    "event_",
    "evbuffer_",
    "bufferevent_",
    "evconnlistener_",
    "evutil_",
    "evthread_",
    "evdns_",
    "evhttp_",
    "evrpc_",
    "evtag_",
    "ev_token_bucket_",
    "evtimer_",
];

/// Why a function is missing, in the words a user needs.
fn area(f: &str) -> &'static str {
    if f.starts_with("bufferevent_") || f.starts_with("ev_token_bucket_") {
        "bufferevents"
    } else if f.starts_with("evconnlistener_") {
        "listeners"
    } else if ["evdns_", "evhttp_", "evrpc_", "evtag_"].iter().any(|p| f.starts_with(p)) {
        "libevent_extra"
    } else {
        "other"
    }
}

struct Loaded {
    obj: Object,
    /// The name it was needed as (DT_NEEDED), or the path for the binary.
    name: String,
    via: Via,
    needed_by: usize,
}

struct Report {
    status: u8,
    text: String,
}

fn is_evshim(path: &Path) -> bool {
    elf::read(path).map(|o| o.exports.contains("evshim_get_version")).unwrap_or(false)
}

fn check(binary: &Path, evshim: &BTreeSet<String>, searcher: &Searcher, all: bool) -> Report {
    let exe = match elf::read(binary) {
        Ok(o) => o,
        Err(e) => return Report { status: 4, text: format!("{}: error: {e}\n", binary.display()) },
    };
    let mut text = String::new();
    // Breadth-first, as ld.so loads: that order is also the symbol lookup order.
    let mut loaded =
        vec![Loaded { obj: exe, name: binary.display().to_string(), via: Via::Path, needed_by: usize::MAX }];
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut not_found: Vec<(String, usize)> = Vec::new();
    let skip_evshim = |p: &Path| is_evshim(p);
    let mut i = 0;
    while i < loaded.len() {
        for name in loaded[i].obj.needed.clone() {
            if by_name.contains_key(&name) || not_found.iter().any(|(n, _)| *n == name) {
                continue;
            }
            match searcher.find(&name, &loaded[i].obj, &loaded[0].obj, &skip_evshim) {
                Some((path, via)) => match elf::read(&path) {
                    Ok(obj) => {
                        // A library already loaded under its SONAME is not loaded again.
                        if let Some(&j) = obj.soname.as_ref().and_then(|s| by_name.get(s)) {
                            by_name.insert(name, j);
                            continue;
                        }
                        by_name.insert(name.clone(), loaded.len());
                        if let Some(s) = &obj.soname {
                            by_name.insert(s.clone(), loaded.len());
                        }
                        loaded.push(Loaded { obj, name, via, needed_by: i });
                    }
                    Err(e) => text.push_str(&format!("  warning: {e}\n")),
                },
                None => not_found.push((name, i)),
            }
        }
        i += 1;
    }

    let kind_of = |l: &Loaded| libevent_kind(&l.name).or_else(|| l.obj.soname.as_deref().and_then(libevent_kind));
    let mut libs: Vec<(Kind, String, Option<usize>)> = Vec::new();
    for (idx, l) in loaded.iter().enumerate().skip(1) {
        if let Some(k) = kind_of(l) {
            libs.push((k, l.name.clone(), Some(idx)));
        }
    }
    for (n, _) in &not_found {
        if let Some(k) = libevent_kind(n) {
            libs.push((k, n.clone(), None));
        }
    }
    for (_, name, idx) in &libs {
        let place = match idx {
            Some(i) => loaded[*i].obj.path.display().to_string(),
            None => "not found on this system".to_owned(),
        };
        text.push_str(&format!("  needs {name} => {place}\n"));
    }
    let head = |status: u8, verdict: String, text: String| Report {
        status,
        text: format!("{}: {verdict}\n{text}", binary.display()),
    };
    if libs.iter().all(|(k, ..)| *k == Kind::OtherAbi) {
        let verdict = if libs.is_empty() {
            "nothing to replace: no libevent 2.1 library among its dependencies".to_owned()
        } else {
            "nothing to replace: linked against another libevent ABI; evshim provides libevent 2.1's".to_owned()
        };
        return head(3, verdict, text);
    }

    // Which imports bind to a libevent library: the first object in load order that
    // defines the name. Imports of the libevent libraries themselves are evshim's business.
    let mut imported: BTreeMap<String, (String, bool)> = BTreeMap::new(); // function -> (library, weak)
    for l in loaded.iter() {
        if kind_of(l).is_some() {
            continue;
        }
        for imp in &l.obj.imports {
            let definer = loaded.iter().find(|d| d.obj.exports.contains(&imp.name));
            let lib = match definer {
                Some(d) if kind_of(d).is_some() => d.name.clone(),
                Some(_) => continue,
                None => {
                    // Not defined anywhere we could read: libevent's if it looks like it and
                    // a libevent library this object needs is missing here.
                    let missing_lib =
                        not_found.iter().find(|(n, by)| libevent_kind(n).is_some() && std::ptr::eq(&loaded[*by], l));
                    match missing_lib {
                        Some((n, _)) if LIBEVENT_PREFIXES.iter().any(|p| imp.name.starts_with(p)) => {
                            format!("{n} (not found)")
                        }
                        _ => continue,
                    }
                }
            };
            let e = imported.entry(imp.name.clone()).or_insert((lib, imp.weak));
            e.1 &= imp.weak;
        }
    }
    let mut missing: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new(); // library -> functions
    for (f, (lib, weak)) in &imported {
        if !evshim.contains(f) {
            missing.entry(lib.clone()).or_default().push((f.clone(), *weak));
        }
    }
    let n_missing: usize = missing.values().map(|v| v.iter().filter(|(_, w)| !w).count()).sum();
    text.push_str(&format!(
        "  imports {} libevent functions; {} not exported by evshim\n",
        imported.len(),
        missing.values().map(Vec::len).sum::<usize>()
    ));
    for (lib, fs) in &missing {
        text.push_str(&format!("  missing from {lib} ({}):\n", fs.len()));
        for (f, weak) in fs {
            text.push_str(&format!("    {f}{}\n", if *weak { " (weak: the program loads without it)" } else { "" }));
        }
    }
    if all {
        text.push_str("  all libevent imports:\n");
        for (f, (lib, _)) in &imported {
            let mark = if evshim.contains(f) { "evshim" } else { "MISSING" };
            text.push_str(&format!("    {f}  [{lib}] {mark}\n"));
        }
    }

    let extra: Vec<&str> =
        libs.iter().filter(|(k, ..)| matches!(k, Kind::Extra | Kind::Openssl)).map(|(_, n, _)| n.as_str()).collect();
    let mut reasons = Vec::new();
    if !extra.is_empty() {
        reasons.push(format!(
            "needs {}, which evshim does not provide (libevent_extra: evhttp, evdns, evrpc, evtag; libevent_openssl)",
            extra.join(" and ")
        ));
    }
    if n_missing > 0 {
        let mut areas: BTreeMap<&str, usize> = BTreeMap::new();
        for fs in missing.values() {
            for (f, weak) in fs {
                if !weak {
                    *areas.entry(area(f)).or_default() += 1;
                }
            }
        }
        let parts: Vec<String> = areas.iter().map(|(a, n)| format!("{n} {a}")).collect();
        reasons.push(format!("{n_missing} imported functions not in evshim ({})", parts.join(", ")));
    }
    if !reasons.is_empty() {
        return head(2, format!("not yet: {}", reasons.join("; ")), text);
    }
    // Under LD_LIBRARY_PATH, a DT_RPATH hit comes first and loads the real library.
    let bypass: Vec<String> = libs
        .iter()
        .filter_map(|(_, name, idx)| idx.filter(|i| loaded[*i].via == Via::Rpath).map(|i| (name, i)))
        .map(|(name, i)| format!("{name} is found through the DT_RPATH of {}", loaded[loaded[i].needed_by].name))
        .collect();
    if !bypass.is_empty() {
        return head(
            1,
            format!("runs on evshim via LD_PRELOAD only ({}, before LD_LIBRARY_PATH)", bypass.join("; ")),
            text,
        );
    }
    head(0, "runs on evshim via LD_PRELOAD and via LD_LIBRARY_PATH".to_owned(), text)
}

fn default_evshim() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let p = exe.parent()?.parent()?.join("lib").join("libevent-2.1.so.7");
    p.is_file().then_some(p)
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let mut evshim_path: Option<PathBuf> = None;
    let mut all = false;
    let mut binaries = Vec::new();
    while let Some(a) = args.next() {
        match a.to_str() {
            Some("-h" | "--help") => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            Some("--evshim") => match args.next() {
                Some(p) => evshim_path = Some(PathBuf::from(p)),
                None => {
                    eprint!("evshim-check: --evshim needs a path\n{USAGE}");
                    return ExitCode::from(4);
                }
            },
            Some("--all") => all = true,
            Some(s) if s.starts_with('-') && s.len() > 1 => {
                eprint!("evshim-check: unknown option {s}\n{USAGE}");
                return ExitCode::from(4);
            }
            _ => binaries.push(PathBuf::from(a)),
        }
    }
    if binaries.is_empty() {
        eprint!("{USAGE}");
        return ExitCode::from(4);
    }
    let Some(evshim_path) = evshim_path.or_else(default_evshim) else {
        eprintln!("evshim-check: evshim library not found next to this command; give --evshim PATH");
        return ExitCode::from(4);
    };
    let evshim = match elf::read(&evshim_path) {
        Ok(o) if o.exports.contains("evshim_get_version") => o.exports,
        Ok(_) => {
            eprintln!("evshim-check: {} is not evshim (no evshim_get_version)", evshim_path.display());
            return ExitCode::from(4);
        }
        Err(e) => {
            eprintln!("evshim-check: {e}");
            return ExitCode::from(4);
        }
    };
    let llp = std::env::var("LD_LIBRARY_PATH").ok();
    let searcher = Searcher::new(llp.as_deref());
    let mut status = 0;
    for b in &binaries {
        let r = check(b, &evshim, &searcher, all);
        print!("{}", r.text);
        status = status.max(r.status);
    }
    ExitCode::from(status)
}
