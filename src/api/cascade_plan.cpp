// cascade_plan.cpp — ordering the steps by price.
#include "api/cascade_plan.hpp"

#include "routing/cost.hpp"

#include <algorithm>
#include <limits>

namespace sw::api {

CascadePlan make_cascade_plan(const ModelConfig& model, const Config& config) {
    const PromptRouterConfig& router = *model.router;
    const IntelligenceConfig& in = config.intelligence;
    CascadePlan plan;
    plan.model = model.name;
    plan.steps = config.cascade_pools(router);
    const TokenUsage reference{1000, 1000};
    auto price = [&](const PoolConfig* pool) {
        return routing::cheapest_cost_in(*pool, reference).value_or(std::numeric_limits<double>::infinity());
    };
    std::stable_sort(plan.steps.begin(), plan.steps.end(),
                     [&](const PoolConfig* a, const PoolConfig* b) { return price(a) < price(b); });
    plan.quality_threshold = router.cascade.quality_threshold.value_or(in.cascade_quality_threshold);
    plan.confidence_threshold = router.cascade.confidence_threshold.value_or(in.cascade_confidence_threshold);
    plan.max_budget = router.cascade.max_budget.value_or(in.cascade_max_budget);
    plan.judge_callback = router.cascade.judge == "callback";
    return plan;
}

}  // namespace sw::api
