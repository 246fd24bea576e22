// log_file.cpp — see log_file.hpp.
#include "log_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace server {

std::shared_ptr<LogFile> LogFile::open(const std::string& path, std::string& error) {
    if (path.empty()) return std::shared_ptr<LogFile>(new LogFile(stderr, false));
    std::FILE* f = std::fopen(path.c_str(), "a");
    if (f == nullptr) {
        error = "LOG_FILE_PATH: cannot open " + path + " to append: " + std::strerror(errno);
        return nullptr;
    }
    return std::shared_ptr<LogFile>(new LogFile(f, true));
}

LogFile::~LogFile() {
    if (owned_) std::fclose(file_);
}

void LogFile::write(std::string_view line) {
    // The line and its newline in one write(2), which the kernel keeps whole against other
    // threads' lines: Linux serializes writes to a regular file on its position, and a pipe
    // write up to PIPE_BUF is atomic. Only a longer line takes the lock (then it is whole among
    // long lines). Each line reaches the file at once: a crash or a tail -f loses nothing.
    thread_local std::string buffer;
    buffer.assign(line);
    buffer.push_back('\n');
    std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
    if (buffer.size() > PIPE_BUF) lock.lock();
    const int fd = fileno(file_);
    std::size_t done = 0;
    while (done < buffer.size()) {
        const ssize_t n = ::write(fd, buffer.data() + done, buffer.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // nowhere to log to; the router's answers do not depend on it
        done += static_cast<std::size_t>(n);
    }
}

sw::LogSink LogFile::sink(std::shared_ptr<LogFile> file) {
    return [file = std::move(file)](sw::LogLevel, std::string_view line) { file->write(line); };
}

}  // namespace server
