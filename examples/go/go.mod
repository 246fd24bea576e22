module libswitch.example/ffi-go

go 1.22
