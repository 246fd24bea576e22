// tsan_suppressions.cpp — the one ThreadSanitizer report switch-server expects, built into the
// program so that it holds in every environment its tests start it in (they pass no TSAN_OPTIONS).
//
// The event loops use epoll's changelist (listener.cpp): a loop applies its epoll changes just
// before it waits, so its deletion of a connection that evhttp has already closed reaches
// epoll_ctl after the close. By then another loop's accept may have taken the same descriptor
// number, and ThreadSanitizer, which treats each number as an object, reports the two threads'
// uses as a race. The kernel does not: the stale deletion names a socket that is not in this
// loop's epoll set and fails with ENOENT, which libevent ignores, and nothing else reaches it.
// The suppression matches only races whose top frame is epoll_ctl, which only libevent calls here.
#if defined(__SANITIZE_THREAD__)
#define SWITCH_SERVER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SWITCH_SERVER_TSAN 1
#endif
#endif

#ifdef SWITCH_SERVER_TSAN
extern "C" const char* __tsan_default_suppressions();
extern "C" const char* __tsan_default_suppressions() { return "race_top:epoll_ctl\n"; }
#endif
