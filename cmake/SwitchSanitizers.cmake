# SwitchSanitizers.cmake — SWITCH_SANITIZE=address,undefined (CI) or thread (kept available).
if(SWITCH_SANITIZE)
  if(SWITCH_SANITIZE MATCHES "thread" AND SWITCH_SANITIZE MATCHES "address")
    message(FATAL_ERROR "SWITCH_SANITIZE: thread cannot be combined with address")
  endif()
  # Sanitizers apply to everything built here, so that tests and library agree.
  add_compile_options(-fsanitize=${SWITCH_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SWITCH_SANITIZE})
endif()
