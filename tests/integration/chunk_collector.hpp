// chunk_collector.hpp — collects a stream's chunks from the router's I/O thread, for the tests.
#pragma once

#include <switch/router.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace sw::test {

struct Chunks {
    std::mutex mutex;
    std::vector<std::string> items;
    sw::ChunkCallback callback() {
        return [this](std::string_view c) {
            std::lock_guard<std::mutex> lock(mutex);
            items.emplace_back(c);
        };
    }
    std::string joined() {
        std::string all;
        for (auto& c : items) all += c + "\n";
        return all;
    }
};

}  // namespace sw::test
