//! Where the dynamic linker finds a DT_NEEDED library, simplified (README "evshim-check").
//!
//! Order, as ld.so(8) documents it: a name with a '/' is a path; otherwise DT_RPATH of the
//! requesting object and of the executable (only for objects without DT_RUNPATH),
//! LD_LIBRARY_PATH, the object's DT_RUNPATH, then the directories /etc/ld.so.conf names
//! (the input of ld.so.cache, read instead of the binary cache) and the standard
//! directories. `$ORIGIN` and `$LIB` are expanded; entries with `$PLATFORM` are skipped.
//! A candidate of another ELF class or machine is skipped, as ld.so does.

use crate::elf::{self, Object};
use std::path::{Path, PathBuf};

/// Where a library was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Path,
    Rpath,
    LdLibraryPath,
    Runpath,
    System,
}

pub struct Searcher {
    ld_library_path: Vec<String>,
    system: Vec<String>,
}

/// The multiarch triplet Debian uses for a machine (for `$LIB` and the standard directories).
fn triplet(class64: bool, machine: u16) -> Option<&'static str> {
    Some(match (class64, machine) {
        (true, 62) => "x86_64-linux-gnu",
        (false, 3) => "i386-linux-gnu",
        (true, 183) => "aarch64-linux-gnu",
        (false, 40) => "arm-linux-gnueabihf",
        (true, 21) => "powerpc64le-linux-gnu",
        (true, 22) => "s390x-linux-gnu",
        (true, 243) => "riscv64-linux-gnu",
        _ => return None,
    })
}

/// Directories listed by an ld.so.conf file, following `include` lines (with `*` globs in the
/// file name part).
fn read_conf(path: &Path, out: &mut Vec<String>, depth: usize) {
    let Ok(text) = std::fs::read_to_string(path) else { return };
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(pat) = line.strip_prefix("include").filter(|r| r.starts_with([' ', '\t'])) {
            if depth > 8 {
                continue;
            }
            for pat in pat.split_whitespace() {
                let pat = if pat.starts_with('/') {
                    PathBuf::from(pat)
                } else {
                    path.parent().unwrap_or(Path::new("/")).join(pat)
                };
                for file in glob(&pat) {
                    read_conf(&file, out, depth + 1);
                }
            }
        } else if line.starts_with('/') {
            out.push(line.to_owned());
        }
    }
}

/// Files matching a pattern whose last component may hold `*` wildcards, sorted.
fn glob(pat: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (pat.parent(), pat.file_name().and_then(|n| n.to_str())) else {
        return Vec::new();
    };
    if !name.contains('*') {
        return vec![pat.to_path_buf()];
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| wildcard(name, &e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

fn wildcard(pat: &str, s: &str) -> bool {
    match pat.split_once('*') {
        None => pat == s,
        Some((head, rest)) => {
            let Some(tail) = s.strip_prefix(head) else { return false };
            (0..=tail.len()).any(|i| tail.is_char_boundary(i) && wildcard(rest, &tail[i..]))
        }
    }
}

impl Searcher {
    /// A searcher that uses the given LD_LIBRARY_PATH and /etc/ld.so.conf.
    pub fn new(ld_library_path: Option<&str>) -> Self {
        let mut system = Vec::new();
        read_conf(Path::new("/etc/ld.so.conf"), &mut system, 0);
        let ld_library_path =
            ld_library_path.unwrap_or("").split([':', ';']).filter(|p| !p.is_empty()).map(str::to_owned).collect();
        Searcher { ld_library_path, system }
    }

    fn standard_dirs(class64: bool, machine: u16) -> Vec<String> {
        let mut dirs = Vec::new();
        if let Some(t) = triplet(class64, machine) {
            dirs.push(format!("/lib/{t}"));
            dirs.push(format!("/usr/lib/{t}"));
        }
        if class64 {
            dirs.extend(["/lib64".to_owned(), "/usr/lib64".to_owned()]);
        }
        dirs.extend(["/lib".to_owned(), "/usr/lib".to_owned()]);
        dirs
    }

    /// Expands `$ORIGIN`/`${ORIGIN}` and `$LIB`/`${LIB}` in a DT_RPATH/DT_RUNPATH entry of
    /// `obj`; `None` for entries this tool cannot expand.
    fn expand(entry: &str, obj: &Object) -> Option<String> {
        let origin = obj
            .path
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(|d| d.to_string_lossy().into_owned()))
            .unwrap_or_else(|| ".".to_owned());
        let lib = triplet(obj.class64, obj.machine).map(|t| format!("lib/{t}")).unwrap_or_else(|| "lib".to_owned());
        let e = entry.replace("${ORIGIN}", &origin).replace("$ORIGIN", &origin);
        let e = e.replace("${LIB}", &lib).replace("$LIB", &lib);
        if e.contains('$') {
            None
        } else {
            Some(e)
        }
    }

    /// Directories searched for a library that `obj` needs, in order, with what each came
    /// from. `exe` is the program (its DT_RPATH applies to every object without DT_RUNPATH).
    pub fn dirs(&self, obj: &Object, exe: &Object) -> Vec<(String, Via)> {
        let mut dirs = Vec::new();
        if obj.runpath.is_empty() {
            // ld.so walks the chain of loaders up to the program; we take the object and the
            // program, which covers programs and their direct libraries.
            for (o, e) in
                obj.effective_rpath().iter().map(|e| (obj, e)).chain(exe.effective_rpath().iter().map(|e| (exe, e)))
            {
                dirs.extend(Self::expand(e, o).map(|d| (d, Via::Rpath)));
            }
        }
        dirs.extend(self.ld_library_path.iter().map(|d| (d.clone(), Via::LdLibraryPath)));
        for e in &obj.runpath {
            dirs.extend(Self::expand(e, obj).map(|d| (d, Via::Runpath)));
        }
        dirs.extend(self.system.iter().map(|d| (d.clone(), Via::System)));
        dirs.extend(Self::standard_dirs(obj.class64, obj.machine).into_iter().map(|d| (d, Via::System)));
        dirs
    }

    /// Finds `name`, needed by `obj`; `skip` rejects a candidate (evshim itself, when the
    /// caller's LD_LIBRARY_PATH points at it) so the search goes on as for the real library.
    pub fn find(&self, name: &str, obj: &Object, exe: &Object, skip: &dyn Fn(&Path) -> bool) -> Option<(PathBuf, Via)> {
        if name.contains('/') {
            let p = PathBuf::from(name);
            return p.is_file().then_some((p, Via::Path));
        }
        for (dir, via) in self.dirs(obj, exe) {
            let p = Path::new(&dir).join(name);
            if p.is_file() && elf::identity(&p) == Some((obj.class64, obj.machine)) && !skip(&p) {
                return Some((p, via));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(path: &str, rpath: &[&str], runpath: &[&str]) -> Object {
        Object {
            path: PathBuf::from(path),
            class64: true,
            machine: 62,
            soname: None,
            needed: Vec::new(),
            rpath: rpath.iter().map(|s| s.to_string()).collect(),
            runpath: runpath.iter().map(|s| s.to_string()).collect(),
            imports: Vec::new(),
            exports: Default::default(),
        }
    }

    #[test]
    fn wildcard_matches_like_glob() {
        assert!(wildcard("*.conf", "x86_64-linux-gnu.conf"));
        assert!(wildcard("a*b*c", "aXXbYc"));
        assert!(!wildcard("*.conf", "x.conf.bak"));
        assert!(!wildcard("libc.conf", "libc.con"));
    }

    #[test]
    fn rpath_before_ld_library_path_runpath_after() {
        let s = Searcher { ld_library_path: vec!["/llp".into()], system: vec!["/sys".into()] };
        let exe = obj("/nonexistent/prog", &["/exe-rpath"], &[]);
        let lib = obj("/nonexistent/lib.so", &["/lib-rpath"], &[]);
        let d: Vec<_> = s.dirs(&lib, &exe).into_iter().map(|(d, v)| (d, v)).collect();
        assert_eq!(d[0], ("/lib-rpath".to_string(), Via::Rpath));
        assert_eq!(d[1], ("/exe-rpath".to_string(), Via::Rpath));
        assert_eq!(d[2], ("/llp".to_string(), Via::LdLibraryPath));
        assert_eq!(d[3], ("/sys".to_string(), Via::System));
        // DT_RUNPATH disables DT_RPATH (the object's and the program's) and comes after
        // LD_LIBRARY_PATH.
        let lib = obj("/nonexistent/lib.so", &["/lib-rpath"], &["/lib-runpath"]);
        let d: Vec<_> = s.dirs(&lib, &exe).into_iter().map(|(d, _)| d).collect();
        assert_eq!(&d[..3], &["/llp", "/lib-runpath", "/sys"]);
    }

    #[test]
    fn origin_and_lib_expand_unknown_tokens_skip() {
        let o = obj("/nonexistent/bin/prog", &[], &[]);
        assert_eq!(Searcher::expand("$ORIGIN/../lib", &o).as_deref(), Some("./../lib"));
        assert_eq!(Searcher::expand("/opt/${LIB}", &o).as_deref(), Some("/opt/lib/x86_64-linux-gnu"));
        assert_eq!(Searcher::expand("/opt/$PLATFORM", &o), None);
    }
}
