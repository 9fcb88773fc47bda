//! What the dynamic linker reads from one ELF object: its dynamic section and its dynamic
//! symbol table.

use object::elf;
use object::read::elf::{Dyn, ElfFile, FileHeader, Sym};
use object::Endianness;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A dynamic symbol that the object imports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Import {
    pub name: String,
    /// A weak reference: the program loads without it.
    pub weak: bool,
}

/// One ELF object, as far as the dynamic linker is concerned.
#[derive(Debug)]
pub struct Object {
    pub path: PathBuf,
    pub class64: bool,
    pub machine: u16,
    pub soname: Option<String>,
    pub needed: Vec<String>,
    /// DT_RPATH, split at ':' (used only when the object has no DT_RUNPATH).
    pub rpath: Vec<String>,
    /// DT_RUNPATH, split at ':'.
    pub runpath: Vec<String>,
    /// Undefined, non-local dynamic symbols.
    pub imports: Vec<Import>,
    /// Defined, global or weak dynamic symbols (functions and data).
    pub exports: BTreeSet<String>,
}

impl Object {
    /// The search-path entries the dynamic linker uses from DT_RPATH: none when DT_RUNPATH
    /// is present (ld.so's rule).
    pub fn effective_rpath(&self) -> &[String] {
        if self.runpath.is_empty() {
            &self.rpath
        } else {
            &[]
        }
    }
}

/// The ELF class and machine of a file, without reading the rest (for skipping libraries of
/// another architecture during the search, as ld.so does).
pub fn identity(path: &Path) -> Option<(bool, u16)> {
    use std::io::Read;
    let mut head = [0u8; 20];
    std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    if &head[..4] != b"\x7fELF" {
        return None;
    }
    let class64 = head[4] == elf::ELFCLASS64.0;
    let machine = if head[5] == elf::ELFDATA2MSB.0 {
        u16::from_be_bytes([head[18], head[19]])
    } else {
        u16::from_le_bytes([head[18], head[19]])
    };
    Some((class64, machine))
}

/// Reads `path`.
pub fn read(path: &Path) -> Result<Object, String> {
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (class64, _) = identity(path).ok_or_else(|| format!("{}: not an ELF file", path.display()))?;
    let r = if class64 {
        parse::<elf::FileHeader64<Endianness>>(&data)
    } else {
        parse::<elf::FileHeader32<Endianness>>(&data)
    };
    let mut o = r.map_err(|e| format!("{}: {e}", path.display()))?;
    o.path = path.to_path_buf();
    Ok(o)
}

fn split_path(s: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(s).split(':').filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

fn parse<Elf: FileHeader<Endian = Endianness>>(data: &[u8]) -> object::Result<Object> {
    let file = ElfFile::<Elf>::parse(data)?;
    let endian = file.endian();
    let header = file.elf_header();
    let sections = file.elf_section_table();
    let mut o = Object {
        path: PathBuf::new(),
        class64: header.is_class_64(),
        machine: header.e_machine(endian).0,
        soname: None,
        needed: Vec::new(),
        rpath: Vec::new(),
        runpath: Vec::new(),
        imports: Vec::new(),
        exports: BTreeSet::new(),
    };
    let dynamic = sections.dynamic_table(endian, data)?;
    for d in dynamic.dynamics() {
        let tag = d.d_tag(endian);
        if tag == elf::DT_NULL {
            break;
        }
        if !matches!(tag, elf::DT_NEEDED | elf::DT_SONAME | elf::DT_RPATH | elf::DT_RUNPATH) {
            continue;
        }
        let off: u64 = d.d_val(endian).into();
        let s = u32::try_from(off).ok().and_then(|off| dynamic.strings().get(off).ok()).unwrap_or_default();
        match tag {
            elf::DT_NEEDED => o.needed.push(String::from_utf8_lossy(s).into_owned()),
            elf::DT_SONAME => o.soname = Some(String::from_utf8_lossy(s).into_owned()),
            elf::DT_RPATH => o.rpath.extend(split_path(s)),
            _ => o.runpath.extend(split_path(s)),
        }
    }
    let symbols = sections.symbols(endian, data, elf::SHT_DYNSYM)?;
    let strings = symbols.strings();
    for sym in symbols.iter().skip(1) {
        let bind = sym.st_bind();
        if bind != elf::STB_GLOBAL && bind != elf::STB_WEAK && bind != elf::STB_GNU_UNIQUE {
            continue;
        }
        let Ok(name) = sym.name(endian, strings) else { continue };
        let name = String::from_utf8_lossy(name).into_owned();
        if sym.is_undefined(endian) {
            o.imports.push(Import { name, weak: bind == elf::STB_WEAK });
        } else if sym.st_type() != elf::STT_SECTION && sym.st_type() != elf::STT_FILE {
            o.exports.insert(name);
        }
    }
    o.imports.sort();
    o.imports.dedup();
    Ok(o)
}
