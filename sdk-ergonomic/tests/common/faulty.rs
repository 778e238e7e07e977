//! A local HTTP server that misbehaves on purpose: each request gets the reply its script
//! says, byte for byte, and every connection and request is counted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mm_sdk::MultiMarkets;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use url::Url;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Writes these bytes and closes the connection.
    Close(Vec<u8>),
    /// Writes these bytes and waits for the next request on the same connection.
    KeepAlive(Vec<u8>),
    /// Writes these bytes, then resets the connection (TCP RST).
    Reset(Vec<u8>),
    /// Writes these bytes, then says nothing more, holding the connection open.
    Stall(Vec<u8>),
    /// Writes `head`, then each piece of the body `gap` after the one before.
    Trickle {
        head: Vec<u8>,
        pieces: Vec<Vec<u8>>,
        gap: Duration,
    },
    /// A 200 with a body of `len` bytes, streamed; its length is declared in
    /// `Content-Length` when `declared`, or it is sent chunked.
    Huge { len: usize, declared: bool },
}

impl Reply {
    /// A complete response with `Connection: close`.
    pub fn close(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Self {
        Reply::Close(response(
            status,
            &[headers, &[("connection", "close")]].concat(),
            body,
        ))
    }

    /// A complete response that keeps the connection open.
    pub fn keep_alive(status: u16, body: &[u8]) -> Self {
        Reply::KeepAlive(response(status, &[], body))
    }

    /// A 200 carrying `envelope` as JSON, with `Connection: close`.
    pub fn json(envelope: &serde_json::Value) -> Self {
        Reply::close(
            200,
            &[("content-type", "application/json")],
            envelope.to_string().as_bytes(),
        )
    }
}

/// The bytes of an HTTP/1.1 response with a `Content-Length` and the given headers.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} Status\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    [out.into_bytes(), body.to_vec()].concat()
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Request line and headers, as sent.
    pub head: String,
    pub body: Vec<u8>,
    /// Which accepted connection it came on, counting from 0.
    pub connection: usize,
}

impl Received {
    /// The request line's target, e.g. `/cats-gateway-auth2/auth2/user`.
    pub fn path(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or_default()
    }

    /// The value of header `name`, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

type Script = dyn Fn(usize) -> Reply + Send + Sync;

/// The server: listens on 127.0.0.1 until dropped.
pub struct FaultyServer {
    url: Url,
    requests: Arc<Mutex<Vec<Received>>>,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultyServer {
    /// Starts a server that answers request `n` (counting from 0, across connections) with
    /// `script(n)`.
    pub async fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let script: Arc<Script> = Arc::new(script);
        let task = tokio::spawn({
            let (requests, connections) = (requests.clone(), connections.clone());
            async move {
                // Dropping the set (when the server is dropped) ends every connection.
                let mut served = JoinSet::new();
                while let Ok((stream, _)) = listener.accept().await {
                    let connection = connections.fetch_add(1, Ordering::SeqCst);
                    served.spawn(serve(stream, connection, requests.clone(), script.clone()));
                }
            }
        });
        Self {
            url,
            requests,
            connections,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> Url {
        self.url.clone()
    }

    /// Every complete request received so far.
    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().unwrap().clone()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    connection: usize,
    requests: Arc<Mutex<Vec<Received>>>,
    script: Arc<Script>,
) {
    loop {
        let Some((head, body)) = read_request(&mut stream).await else {
            return;
        };
        let index = {
            let mut requests = requests.lock().unwrap();
            requests.push(Received {
                head,
                body,
                connection,
            });
            requests.len() - 1
        };
        match script(index) {
            Reply::KeepAlive(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Close(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Reset(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                stream.set_zero_linger().unwrap();
                return;
            }
            Reply::Stall(bytes) => {
                let _ = stream.write_all(&bytes).await;
                tokio::time::sleep(Duration::from_secs(60)).await;
                return;
            }
            Reply::Trickle { head, pieces, gap } => {
                let _ = stream.write_all(&head).await;
                for piece in pieces {
                    tokio::time::sleep(gap).await;
                    if stream.write_all(&piece).await.is_err() {
                        return;
                    }
                }
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Huge { len, declared } => {
                let _ = write_huge(&mut stream, len, declared).await;
                return;
            }
        }
    }
}

/// Reads one request (head and `Content-Length` body); `None` at EOF or on a broken request.
async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..end - 4].to_vec()).ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[end..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, body))
}

async fn write_huge(stream: &mut TcpStream, len: usize, declared: bool) -> std::io::Result<()> {
    const PIECE: usize = 64 * 1024;
    let framing = if declared {
        format!("content-length: {len}")
    } else {
        "transfer-encoding: chunked".to_owned()
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{framing}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await?;
    let piece = vec![b' '; PIECE];
    let mut left = len;
    while left > 0 {
        let n = left.min(PIECE);
        if declared {
            stream.write_all(&piece[..n]).await?;
        } else {
            stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
            stream.write_all(&piece[..n]).await?;
            stream.write_all(b"\r\n").await?;
        }
        left -= n;
    }
    if !declared {
        stream.write_all(b"0\r\n\r\n").await?;
    }
    stream.shutdown().await
}

/// A client whose three APIs point at `base`, with a short timeout and quick retries.
pub fn client_at(base: &Url) -> MultiMarkets {
    super::builder_at(base)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}
