//! A private sshd on a free loopback port that lets the current user in with a temp key: the
//! end-to-end test runs the app over it, the sync tests reach a hub through it.

use std::net::{TcpListener, TcpStream};

use super::tmux::{path_str, poll, sh_quote};
use std::process::{Child, Command, Stdio};
use tempfile::TempDir;

/// A private sshd on a free loopback port that lets the current user in with a temp key.
pub struct Sshd {
    dir: TempDir,
    child: Child,
    port: u16,
}

impl Sshd {
    pub fn start() -> Sshd {
        let dir = TempDir::new().expect("temp dir");
        let p = |name: &str| path_str(&dir.path().join(name));
        for key in ["host_key", "user_key"] {
            let out = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f", &p(key)])
                .output()
                .expect("run ssh-keygen");
            assert!(out.status.success(), "ssh-keygen: {out:?}");
        }
        std::fs::copy(p("user_key.pub"), p("authorized_keys")).expect("authorized_keys");
        // sshd refuses to start without its privilege separation directory.
        let _ = std::fs::create_dir_all("/run/sshd");
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("its address").port();
        drop(listener);
        let (host_key, keys, pid) = (p("host_key"), p("authorized_keys"), p("sshd.pid"));
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nAuthorizedKeysFile {keys}\n\
             PidFile {pid}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
             PermitRootLogin prohibit-password\nPrintMotd no\nPrintLastLog no\nUseDNS no\n"
        );
        std::fs::write(p("sshd_config"), config).expect("sshd_config");
        let log = std::fs::File::create(p("sshd.log")).expect("sshd log");
        let child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f", &p("sshd_config")])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start /usr/sbin/sshd (apt-get install openssh-server)");
        let mut sshd = Sshd { dir, child, port };
        poll("sshd to listen", || {
            if let Ok(Some(status)) = sshd.child.try_wait() {
                panic!("sshd exited ({status}):\n{}", sshd.log());
            }
            TcpStream::connect(("127.0.0.1", sshd.port))
                .map(drop)
                .map_err(|e| format!("{e}\n{}", sshd.log()))
        });
        sshd
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }

    /// A shell command that logs in with a terminal and runs `remote` there.
    pub fn ssh(&self, remote: &str) -> String {
        let key = path_str(&self.dir.path().join("user_key"));
        format!(
            "ssh -F /dev/null -p {} -i {} -o IdentitiesOnly=yes -o BatchMode=yes \
             -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
             -tt 127.0.0.1 {}",
            self.port,
            sh_quote(&key),
            sh_quote(remote)
        )
    }
}

impl Sshd {
    /// The ssh command (without host or remote command) for batch use, as `RECTIFY_SSH`.
    pub fn batch_command(&self) -> String {
        let key = path_str(&self.dir.path().join("user_key"));
        format!(
            "ssh -F /dev/null -p {} -i {} -o IdentitiesOnly=yes -o BatchMode=yes \
             -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
            self.port, key
        )
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
