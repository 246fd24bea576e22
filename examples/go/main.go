// Command ffi-go routes one chat request through libswitch's C ABI from Go (cgo) and prints the
// provider that served it.
//
//	CGO_CFLAGS=-I$REPO/include CGO_LDFLAGS=-L$BUILD/src go build -o ffi-go .
//	LD_LIBRARY_PATH=$BUILD/src ./ffi-go CONFIG [MODEL]
package main

/*
#cgo LDFLAGS: -lswitch
#include <stdlib.h>
#include <switch/switch.h>
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"unsafe"
)

// call runs one libswitch function and turns a failure into an error carrying sw_last_error().
// That detail is thread-local, and a goroutine may change OS threads between two cgo calls, so
// the call and the read stay on one locked thread.
func call(what string, fn func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if status := fn(); status != C.SW_OK {
		return fmt.Errorf("%s: %s: %s", what, C.GoString(C.sw_strerror(status)), C.GoString(C.sw_last_error()))
	}
	return nil
}

// Router owns an sw_router; Close releases it.
type Router struct{ ptr *C.sw_router }

// NewRouter loads a configuration file and creates a router on it. Warnings go to stderr; on
// failure the diagnostics are the error's detail.
func NewRouter(path string) (*Router, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var config *C.sw_config
	var report *C.char
	err := call("loading "+path, func() C.int { return C.sw_config_load_file(&config, &report, cpath, C.SW_DIAG_TEXT) })
	if report != nil {
		if err == nil {
			fmt.Fprint(os.Stderr, C.GoString(report))
		}
		C.sw_free(unsafe.Pointer(report)) // owned by the caller, whatever the verdict
	}
	if err != nil {
		return nil, err
	}
	defer C.sw_config_destroy(&config) // the router keeps its own reference
	r := &Router{}
	if err := call("creating the router", func() C.int { return C.sw_router_create(&r.ptr, config, nil) }); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Router) Close() { C.sw_router_destroy(&r.ptr) }

// Served is what the example reports of one answer.
type Served struct {
	Provider, Pool, Text string
	Fallback             bool
}

// Chat sends one OpenAI chat request and waits for the answer.
func (r *Router) Chat(request []byte) (Served, error) {
	var resp *C.sw_response
	// Go memory may be passed for the duration of the call: the library copies the request.
	err := call("chat", func() C.int {
		return C.sw_router_chat(&resp, r.ptr, (*C.char)(unsafe.Pointer(&request[0])), C.size_t(len(request)), nil)
	})
	if err != nil {
		return Served{}, err
	}
	defer C.sw_response_destroy(&resp)
	// The call succeeds whenever the request was routed; the response says how it went. Its
	// strings are borrowed, so they are copied into Go before the response goes.
	if C.sw_response_result(resp) != C.SW_OK {
		return Served{}, fmt.Errorf("request failed (%d): %s", int(C.sw_response_status(resp)),
			C.GoString(C.sw_response_error(resp)))
	}
	return Served{
		Provider: C.GoString(C.sw_response_provider(resp)),
		Pool:     C.GoString(C.sw_response_pool(resp)),
		Text:     C.GoString(C.sw_response_text(resp)),
		Fallback: C.sw_response_used_fallback(resp) != 0,
	}, nil
}

func run(args []string) error {
	if len(args) < 1 {
		return errors.New("usage: ffi-go CONFIG [MODEL]")
	}
	model := "chat"
	if len(args) > 1 {
		model = args[1]
	}
	router, err := NewRouter(args[0])
	if err != nil {
		return err
	}
	defer router.Close()
	request, err := json.Marshal(map[string]any{
		"model":    model,
		"messages": []map[string]string{{"role": "user", "content": "Say hello."}},
	})
	if err != nil {
		return err
	}
	served, err := router.Chat(request)
	if err != nil {
		return err
	}
	fallback := ""
	if served.Fallback {
		fallback = ", fallback"
	}
	fmt.Printf("served by %s (pool %s%s): %s\n", served.Provider, served.Pool, fallback, served.Text)
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ffi-go:", err)
		os.Exit(1)
	}
}
