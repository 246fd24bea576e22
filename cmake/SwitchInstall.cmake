# SwitchInstall.cmake — headers, both libraries, a CMake package and switch.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SWITCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/switch)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/switch
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS libswitch libswitch_static EXPORT switchTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT switchTargets NAMESPACE switch:: DESTINATION ${SWITCH_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/switchConfig.cmake.in
    ${PROJECT_BINARY_DIR}/switchConfig.cmake INSTALL_DESTINATION ${SWITCH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/switchConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/switchConfig.cmake
              ${PROJECT_BINARY_DIR}/switchConfigVersion.cmake
        DESTINATION ${SWITCH_CMAKE_DIR})

configure_file(${PROJECT_SOURCE_DIR}/cmake/switch.pc.in ${PROJECT_BINARY_DIR}/switch.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/switch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
