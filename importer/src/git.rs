//! Reading upstream's repositories: a file at a revision, and when a revision was committed.
//! The one part of the importer that reads outside memory: it runs `git` on a git directory
//! (bare, as a mirror is, or a clone's), never a work tree's files, so that what is read is
//! exactly the pinned revision.

use std::path::Path;
use std::process::Command;

use crate::Error;

/// The text of `path` at `revision` in the git directory `dir` (`git show REV:PATH`).
pub fn show(dir: &Path, revision: &str, path: &str) -> Result<Vec<u8>, Error> {
    git(dir, &["show", &format!("{revision}:{path}")])
}

/// The time `revision` of the git directory `dir` was committed, in UTC, written
/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn committed(dir: &Path, revision: &str) -> Result<String, Error> {
    let out = git(
        dir,
        &[
            "show",
            "--no-patch",
            "--format=%cd",
            "--date=format-local:%Y-%m-%dT%H:%M:%SZ",
            revision,
        ],
    )?;
    Ok(String::from_utf8_lossy(&out).trim().to_owned())
}

/// The newest commit of `HEAD` in the git directory `dir` that changed `path`, if one did.
pub fn last_change(dir: &Path, path: &str) -> Result<Option<String>, Error> {
    let out = git(dir, &["log", "-1", "--format=%H", "HEAD", "--", path])?;
    let id = String::from_utf8_lossy(&out).trim().to_owned();
    Ok(Some(id).filter(|id| !id.is_empty()))
}

/// The files of `revision` in the git directory `dir` (`git ls-tree -r`).
pub fn files(dir: &Path, revision: &str) -> Result<Vec<String>, Error> {
    names(&git(
        dir,
        &["ls-tree", "-r", "--name-only", "-z", revision],
    )?)
}

/// The files git tracks in the work tree at `dir` (`git ls-files`).
pub fn tracked(dir: &Path) -> Result<Vec<String>, Error> {
    names(&git(dir, &["ls-files", "-z"])?)
}

/// The names of a `-z` listing.
fn names(list: &[u8]) -> Result<Vec<String>, Error> {
    list.split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| {
            String::from_utf8(name.to_vec())
                .map_err(|_| Error::new("git listed a file name that is not UTF-8"))
        })
        .collect()
}

/// What `git -C dir <args>` prints, times in UTC; an error names the directory, the command and
/// what git said.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("TZ", "UTC")
        // `dir` and nothing else: an inherited repository or work tree would override `-C`.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        // Never the network: a partial clone would fetch a missing object quietly, and a
        // remote asking for credentials would wait for a terminal.
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| Error::new(format!("git (in {}): {e}", dir.display())))?;
    if !output.status.success() {
        return Err(Error::new(format!(
            "git {} (in {}): {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}
