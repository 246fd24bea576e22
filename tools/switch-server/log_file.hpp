// log_file.hpp — where switch-server's log lines go: stderr, or the file LOG_FILE_PATH names,
// appended to (docs/logging.md).
#pragma once

#include <switch/log.hpp>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

namespace server {

class LogFile {
public:
    // `path` empty: stderr. nullptr with `error` set when the file cannot be opened.
    static std::shared_ptr<LogFile> open(const std::string& path, std::string& error);
    ~LogFile();
    LogFile(const LogFile&) = delete;
    LogFile& operator=(const LogFile&) = delete;

    // Writes one line and its newline, whole: lines from several threads never interleave.
    void write(std::string_view line);
    // A sink for RouterOptions::log_sink that keeps this file open.
    static sw::LogSink sink(std::shared_ptr<LogFile> file);

private:
    explicit LogFile(std::FILE* f, bool owned) : file_(f), owned_(owned) {}
    std::mutex mutex_;  // only for lines longer than PIPE_BUF (write())
    std::FILE* file_;
    bool owned_;
};

}  // namespace server
