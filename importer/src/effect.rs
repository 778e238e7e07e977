//! The effect of an operation (`x-mm-effect`): whether it may be retried after a failure that
//! may have reached the server (a read) or only when it surely never left (a write).

use heck::ToSnakeCase;

use crate::ids::last_name;

/// Read or write, by the first word of the operation's last name.
pub(crate) fn effect(path: &str) -> &'static str {
    let name = last_name(path);
    let snake = name.to_snake_case();
    let first = snake.split('_').next().unwrap_or_default();
    const WRITE: &[&str] = &[
        "add",
        "update",
        "edit",
        "del",
        "delete",
        "remove",
        "create",
        "save",
        "set",
        "submit",
        "apply",
        "cancel",
        "send",
        "bind",
        "unbind",
        "upload",
        "modify",
        "reset",
        "open",
        "close",
        "lock",
        "unlock",
        "transfer",
        "withdraw",
        "deposit",
        "register",
        "login",
        "logout",
        "verify",
        "confirm",
        "extract",
        "switch",
        "enable",
        "disable",
        "destroy",
        "operation",
        "forced",
        "manual",
        "subscribe",
        "unsubscribe",
        "redeem",
        "change",
        "read",
        "mark",
        "do",
        "batch",
        "handle",
        "pay",
        "buy",
        "sell",
        "place",
        "exchange",
        "activate",
        "auth",
        "random",
        "init",
        "google",
        "apple",
        "facebook",
        "twitter",
        "telegram",
        "meta",
        "social",
        "third",
        "pass",
        "replace",
        "adjust",
        "refresh",
        "clear",
        "bound",
        "use",
    ];
    const READ: &[&str] = &[
        "get",
        "query",
        "list",
        "find",
        "search",
        "check",
        "select",
        "fetch",
        "load",
        "count",
        "page",
        "detail",
        "details",
        "info",
        "view",
        "show",
        "has",
        "is",
        "exist",
        "exists",
        "calc",
        "calculate",
        "compute",
        "now",
        "config",
        "market",
        "statistics",
        "report",
    ];
    if WRITE.contains(&first) {
        return "write";
    }
    if READ.contains(&first) {
        return "read";
    }
    let read_words = [
        "list",
        "page",
        "detail",
        "info",
        "query",
        "record",
        "report",
        "statistics",
    ];
    if snake.split('_').any(|w| read_words.contains(&w)) {
        "read"
    } else {
        "write"
    }
}
