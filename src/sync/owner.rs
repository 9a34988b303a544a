//! Who owns a file: the account name of its uid. On a shared hub this, not what an op says about
//! itself, is who wrote a replica's log.

/// The login name for a uid, or `uid <n>` when the system does not know it.
pub fn account_name(uid: u32) -> String {
    // SAFETY: getpwuid returns null or a pointer to static storage valid until the next call;
    // the name is copied out at once.
    let name = unsafe {
        let pw = libc::getpwuid(uid);
        if pw.is_null() || (*pw).pw_name.is_null() {
            None
        } else {
            std::ffi::CStr::from_ptr((*pw).pw_name)
                .to_str()
                .ok()
                .map(str::to_string)
        }
    };
    name.unwrap_or_else(|| format!("uid {uid}"))
}
