// inspect_config.cpp — loads a configuration and prints each model's pool chain and providers.
//   inspect_config [FILE]    (default: the contract's load order)
#include <switch/config_loader.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    sw::LoadResult result = argc > 1 ? sw::load_config_file(argv[1]) : sw::load_config_default();
    if (!result.ok()) {
        std::fputs(sw::format_diagnostics_text(result).c_str(), stderr);
        return 1;
    }
    const sw::Config& config = *result.config;
    for (const sw::ModelConfig& model : config.models) {
        std::printf("model %s\n", model.name.c_str());
        const sw::PoolConfig* pool = config.find_pool(model.primary_pool_id);
        std::printf("  pool %s (%s), then fallbacks:", pool->id.c_str(), std::string(sw::to_string(pool->strategy)).c_str());
        for (const auto& id : pool->fallback_pool_ids) std::printf(" %s", id.c_str());
        std::printf("\n");
        for (const sw::ProviderConfig& p : pool->providers)
            std::printf("    %-20s %-10s %-28s priority %d, weight %g, timeout %lld ms\n", p.name.c_str(),
                        p.type.c_str(), p.model_name.c_str(), p.priority, p.weight,
                        static_cast<long long>(p.timeout.count()));
    }
    return 0;
}
