// log_file.cpp — see log_file.hpp.
#include "log_file.hpp"

#include <cerrno>
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
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fputc('\n', file_);
    // Each line reaches the file at once: a crash or a tail -f loses nothing.
    std::fflush(file_);
}

sw::LogSink LogFile::sink(std::shared_ptr<LogFile> file) {
    return [file = std::move(file)](sw::LogLevel, std::string_view line) { file->write(line); };
}

}  // namespace server
