# SwitchWarnings.cmake — one warning set for every libswitch target; -Werror with SWITCH_WERROR.
function(switch_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                              -Woverloaded-virtual -Wcast-align -Wimplicit-fallthrough>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic>
    $<$<BOOL:${SWITCH_WERROR}>:-Werror>)
endfunction()
