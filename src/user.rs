//! Who is working: the OS user, unless `--user` names someone else.

/// The login name of the OS user running this process.
pub fn os_user() -> String {
    // SAFETY: getuid never fails; getpwuid returns a pointer into static storage or null.
    let from_passwd = unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            None
        } else {
            std::ffi::CStr::from_ptr((*pw).pw_name)
                .to_str()
                .ok()
                .map(str::to_string)
        }
    };
    from_passwd
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}
