//! The socket on Windows: a named pipe claimed at bind, as the first instance of its name, with
//! a DACL that grants access to the current user only, so another local user can neither claim
//! the name first nor connect.

use std::io;
use std::path::{Path, PathBuf};

use tokio::net::windows::named_pipe::{NamedPipeServer, ServerOptions};

use super::BindError;

/// The claimed pipe: its first instance, waiting for the sidecar.
#[derive(Debug)]
pub struct SocketListener {
    path: PathBuf,
    first: NamedPipeServer,
    security: owner_only::Security,
}

impl SocketListener {
    /// The pipe's name.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Create the pipe's first instance now, owner-only. Fails when the name is taken (another
/// instance, or someone squatting it): `first_pipe_instance` refuses to join an existing pipe.
pub fn bind(path: &Path) -> Result<SocketListener, BindError> {
    let io_error = |source| BindError::Io {
        path: path.to_owned(),
        source,
    };
    let security = owner_only::Security::for_current_user().map_err(io_error)?;
    let first = security
        .create(ServerOptions::new().first_pipe_instance(true), path)
        .map_err(|e| match e.raw_os_error() {
            // ERROR_ACCESS_DENIED: the name exists already (first_pipe_instance).
            Some(5) => BindError::InUse(path.to_owned()),
            _ => io_error(e),
        })?;
    Ok(SocketListener {
        path: path.to_owned(),
        first,
        security,
    })
}

/// Pipes have no folder to refuse: the same as [`bind`].
pub fn bind_or_private(path: &Path) -> Result<SocketListener, BindError> {
    bind(path)
}

/// Serve `router` over the pipe, one instance per connection (each owner-only), until `shutdown`.
pub async fn serve(
    socket: SocketListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let SocketListener {
        path,
        first: mut server,
        security,
    } = socket;
    let service = hyper_util::service::TowerToHyperService::new(router);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return Ok(()),
            connected = server.connect() => {
                connected?;
                let next = security.create(&ServerOptions::new(), &path)?;
                let client = std::mem::replace(&mut server, next);
                let service = service.clone();
                tokio::spawn(async move {
                    let io = hyper_util::rt::TokioIo::new(client);
                    if let Err(e) = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await {
                        tracing::debug!(error = %e, "pipe connection ended");
                    }
                });
            }
        }
    }
}

/// The owner-only security descriptor (the one place with `unsafe` code in the shell: Win32 calls).
#[allow(unsafe_code)]
mod owner_only {
    use std::io;
    use std::path::Path;
    use std::ptr::null_mut;

    use tokio::net::windows::named_pipe::{NamedPipeServer, ServerOptions};
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, LocalFree};
    use windows_sys::Win32::Security::Authorization::{
        ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW,
        SDDL_REVISION_1,
    };
    use windows_sys::Win32::Security::{
        GetTokenInformation, PSECURITY_DESCRIPTOR, SECURITY_ATTRIBUTES, TOKEN_QUERY, TOKEN_USER,
        TokenUser,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    /// `D:P(A;;GA;;;<user SID>)`: a protected DACL with one entry, all access for this user.
    pub struct Security {
        descriptor: PSECURITY_DESCRIPTOR,
    }

    // SAFETY: the descriptor is an immutable block owned by this value (freed in Drop).
    unsafe impl Send for Security {}
    // SAFETY: as above; it is only read.
    unsafe impl Sync for Security {}

    impl std::fmt::Debug for Security {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Security(owner only)")
        }
    }

    impl Security {
        pub fn for_current_user() -> io::Result<Self> {
            let sddl: Vec<u16> = format!("D:P(A;;GA;;;{})", current_user_sid()?)
                .encode_utf16()
                .chain(std::iter::once(0))
                .collect();
            let mut descriptor: PSECURITY_DESCRIPTOR = null_mut();
            // SAFETY: `sddl` is NUL-terminated; on success `descriptor` is a LocalAlloc'd block
            // that Drop frees.
            let ok = unsafe {
                ConvertStringSecurityDescriptorToSecurityDescriptorW(
                    sddl.as_ptr(),
                    SDDL_REVISION_1,
                    &mut descriptor,
                    null_mut(),
                )
            };
            if ok == 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(Self { descriptor })
        }

        /// Create a pipe instance with this descriptor.
        pub fn create(&self, options: &ServerOptions, path: &Path) -> io::Result<NamedPipeServer> {
            let mut attributes = SECURITY_ATTRIBUTES {
                nLength: u32::try_from(std::mem::size_of::<SECURITY_ATTRIBUTES>())
                    .unwrap_or(u32::MAX),
                lpSecurityDescriptor: self.descriptor,
                bInheritHandle: 0,
            };
            // SAFETY: `attributes` and the descriptor it points to outlive the call.
            unsafe {
                options.create_with_security_attributes_raw(
                    path,
                    (&raw mut attributes).cast::<std::ffi::c_void>(),
                )
            }
        }
    }

    impl Drop for Security {
        fn drop(&mut self) {
            // SAFETY: allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW.
            unsafe { LocalFree(self.descriptor) };
        }
    }

    /// The SID of the user this process runs as, e.g. `S-1-5-21-…-1001`.
    fn current_user_sid() -> io::Result<String> {
        let mut token: HANDLE = null_mut();
        // SAFETY: plain Win32 calls with valid out-pointers; the token handle is closed below,
        // the TOKEN_USER buffer is u64-aligned and as long as the system asked for, and the
        // SID string is freed with LocalFree.
        unsafe {
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                return Err(io::Error::last_os_error());
            }
            let mut len = 0u32;
            GetTokenInformation(token, TokenUser, null_mut(), 0, &mut len);
            let mut buffer = vec![0u64; (len as usize).div_ceil(8)];
            let got =
                GetTokenInformation(token, TokenUser, buffer.as_mut_ptr().cast(), len, &mut len);
            let error = io::Error::last_os_error();
            CloseHandle(token);
            if got == 0 {
                return Err(error);
            }
            let user = &*buffer.as_ptr().cast::<TOKEN_USER>();
            let mut text = null_mut();
            if ConvertSidToStringSidW(user.User.Sid, &mut text) == 0 {
                return Err(io::Error::last_os_error());
            }
            let len = (0..).take_while(|&i| *text.add(i) != 0).count();
            let sid = String::from_utf16_lossy(std::slice::from_raw_parts(text, len));
            LocalFree(text.cast());
            Ok(sid)
        }
    }
}
