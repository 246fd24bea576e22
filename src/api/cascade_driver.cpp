// cascade_driver.cpp — steps, budget, judging and the one answer the caller gets.
#include "api/cascade_driver.hpp"

#include "api/sub_request_host.hpp"

#include "common/json_writer.hpp"
#include "prompt/answer_scores.hpp"
#include "prompt/prompt.hpp"
#include "providers/openai_output.hpp"
#include "routing/cost.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sw::api {

namespace {

// The most a step may answer when the request sets no max_tokens: its cost must be bounded
// before it is sent, for the budget to hold.
constexpr std::uint64_t kMaxStepTokens = 4096;

// The request as a step sends it: whole (not streamed), with `max_tokens` when given.
std::string step_request(std::string_view request_json, std::optional<std::uint64_t> max_tokens,
                         bool& include_usage) {
    simdjson::dom::parser parser;
    simdjson::dom::object request = parser.parse(request_json).get_object().value();  // checked before
    JsonWriter w;
    w.reserve(request_json.size() + 48);
    w.begin_object();
    for (auto [key, value] : request) {
        if (key == "stream" || key == "stream_options") {
            bool usage = false;
            if (key == "stream_options" && !value["include_usage"].get(usage)) include_usage = usage;
            continue;
        }
        w.key(key).raw(simdjson::minify(value));
    }
    w.key("stream").boolean(false);
    if (max_tokens) w.key("max_tokens").integer(static_cast<std::int64_t>(*max_tokens));
    w.end_object();
    return w.take();
}

// What the step's attempts cost, from the usage each reported; none when none is priced.
std::optional<double> cost_of_attempts(const std::vector<AttemptRecord>& attempts) {
    std::optional<double> total;
    for (const AttemptRecord& a : attempts)
        if (a.cost_usd) total = total.value_or(0) + *a.cost_usd;
    return total;
}

}  // namespace

CascadeDriver::CascadeDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                             const CascadePlan& plan, std::string request_json, providers::RequestCheck check,
                             const ChatOptions& chat, RequestOrigin origin, ChunkCallback on_chunk, DoneCallback done,
                             TimePoint submitted)
    : host_(host),
      step_host_(std::make_unique<SubRequestHost>(host)),
      id_(id),
      generation_(std::move(generation)),
      plan_(plan),
      request_json_(std::move(request_json)),
      check_(std::move(check)),
      chat_(chat),
      origin_(std::move(origin)),
      on_chunk_(std::move(on_chunk)),
      done_(std::move(done)),
      submitted_(submitted) {
    const Millis whole = generation_->config->deadlines.whole(check_.stream, chat.deadline);
    // Not `submitted`, which the router reads only when someone listens to its events.
    deadline_ = host_.io().loop.clock().now() + whole;
    prompt::Prompt p;
    std::string error;
    if (prompt::read_prompt(request_json_, p, error)) prompt_ = std::string(p.last_user());
    route_.strategy = "cascade";
    route_.budget_usd = plan_.max_budget;
    if (chat.max_cost_usd) route_.budget_usd = std::min(*route_.budget_usd, *chat.max_cost_usd);
}

CascadeDriver::~CascadeDriver() = default;

void CascadeDriver::cancel() {
    cancelled_ = true;
    if (step_) step_->cancel();  // its end ends the cascade
}

double CascadeDriver::budget_left() const { return *route_.budget_usd - route_.spent_usd; }

void CascadeDriver::next_step() {
    while (!cancelled_ && next_ < plan_.steps.size())
        if (try_step(*plan_.steps[next_++])) return;
    finish_unaccepted();
}

bool CascadeDriver::try_step(const PoolConfig& pool) {
    CascadeStep& step = route_.steps.emplace_back();
    step.pool = pool.id;
    const double left = budget_left();
    // A prompt has at most one token per byte of the request, so its cost is bounded before the
    // call; the answer is bounded by max_tokens.
    const auto prompt_bound = static_cast<std::uint64_t>(request_json_.size());
    std::optional<std::uint64_t> max_tokens = check_.max_tokens;
    std::optional<std::uint64_t> injected;
    if (!max_tokens) {
        const ProviderConfig* p = routing::cheapest_provider_in(pool, {prompt_bound, 1000});
        const double input = p ? routing::cost_of(*p, {prompt_bound, 0}).value_or(0) : 0;
        const double per_token = p ? routing::cost_of(*p, {0, 1}).value_or(0) : 0;
        const double affordable = per_token > 0 ? std::floor((left - input) / per_token) : double(kMaxStepTokens);
        injected = static_cast<std::uint64_t>(std::clamp(affordable, 0.0, double(kMaxStepTokens)));
        max_tokens = injected;
    }
    const TokenUsage bound{prompt_bound, *max_tokens};
    step.estimated_cost_usd = routing::cheapest_cost_in(pool, bound);
    if (!step.estimated_cost_usd || *step.estimated_cost_usd > left + 1e-12 || *max_tokens == 0) {
        step.note = fmt::format("skipped: it could cost {:.6g} USD, and the budget has {:.6g} USD left",
                                step.estimated_cost_usd.value_or(0), left);
        return false;
    }
    const TimePoint now = host_.io().loop.clock().now();
    if (now >= deadline_) {
        step.note = "skipped: the request's deadline has passed";
        deadline_passed_ = true;
        return false;
    }
    std::string json = step_request(request_json_, injected, include_usage_);
    providers::RequestCheck check = providers::check_request(providers::Endpoint::chat_completions, json);
    ChatOptions chat = chat_;
    chat.deadline = std::max(Millis(1), std::chrono::duration_cast<Millis>(deadline_ - now));
    chat.max_cost_usd = left;
    RequestOptions options = routing_options(id_, check, chat);
    // Every provider of the step's chain whose bound exceeds what is left is left out.
    options.estimated_usage = bound;
    AttemptLoop loop = generation_->core->begin_pool(pool.id, options, plan_.model);
    // The step's end is handled after its driver has finished returning: the cascade then
    // replaces that driver, which must not be destroyed inside its own done callback.
    auto self = shared_from_this();
    auto done = [self](ChatResponse r) {
        self->host_.io().loop.post([self, r = std::move(r)]() mutable { self->step_done(std::move(r)); });
    };
    step_ = std::make_shared<RequestDriver>(*step_host_, id_, generation_, providers::Endpoint::chat_completions,
                                            std::move(json), std::move(check), BegunRequest{std::move(loop), std::nullopt, step_origin()},
                                            nullptr, std::move(done), now);
    step_->start();
    return true;
}

RequestOrigin CascadeDriver::step_origin() const {
    RequestOrigin origin;
    origin.client_id = origin_.client_id;  // each step counts against the client's budgets
    origin.trace = origin_.trace;
    origin.earlier_attempts = origin_.earlier_attempts + static_cast<int>(attempts_.size());
    return origin;
}

void CascadeDriver::step_done(ChatResponse response) {
    // The step's driver has returned from its callback (this was posted): release it, and with
    // it the callback that holds this cascade.
    step_.reset();
    CascadeStep& step = route_.steps.back();
    step.status = response.status;
    step.provider = response.trace.provider;
    step.cost_usd = cost_of_attempts(response.trace.attempts);
    route_.spent_usd += step.cost_usd.value_or(0);
    attempts_.insert(attempts_.end(), response.trace.attempts.begin(), response.trace.attempts.end());
    if (cancelled_ || response.error_class == ErrorClass::cancelled) {
        step.note = "cancelled";
        finish(std::move(response));
        return;
    }
    if (!response.ok()) {
        step.note = "failed: " + response.error;
        last_failure_ = std::move(response);
        next_step();
        return;
    }
    const TimePoint judged = host_.io().loop.clock().now();
    prompt::AnswerScores scores;
    std::string judge = "the built-in judge";
    bool judged_by_callback = false;
    if (plan_.judge_callback) {
        try {
            const JudgeScores s = host_.options().judge(prompt_, response.text);
            if (!std::isfinite(s.quality) || !std::isfinite(s.confidence))
                throw std::runtime_error("it returned a score that is not a number");
            scores.quality = std::clamp(s.quality, 0.0, 1.0);
            scores.confidence = std::clamp(s.confidence, 0.0, 1.0);
            judge = "the judge callback";
            judged_by_callback = true;
        } catch (const std::exception& e) {
            judge = fmt::format("the built-in judge (the judge callback failed: {})", e.what());
        } catch (...) {
            judge = "the built-in judge (the judge callback failed)";
        }
    }
    if (!judged_by_callback) scores = prompt::score_answer(prompt_, response.text, response.finish_reason);
    route_.decision_time += host_.io().loop.clock().now() - judged;
    step.quality = scores.quality;
    step.confidence = scores.confidence;
    std::string why = judge;
    if (!scores.signals.empty()) {
        why += ":";
        for (const std::string& s : scores.signals) why += (why.back() == ':' ? " " : ", ") + s;
    }
    const bool good = scores.quality + 1e-9 >= plan_.quality_threshold &&
                      scores.confidence + 1e-9 >= plan_.confidence_threshold;
    if (good) {
        step.accepted = true;
        step.note = fmt::format("accepted by {}", why);
        route_.target = step.pool;
        route_.reason = fmt::format("step {} of {}, pool \"{}\", reached quality {:.2f} and confidence {:.2f} "
                                    "(thresholds {:.2f} and {:.2f})",
                                    route_.steps.size(), plan_.steps.size(), step.pool, scores.quality,
                                    scores.confidence, plan_.quality_threshold, plan_.confidence_threshold);
        finish(std::move(response));
        return;
    }
    step.note = fmt::format("escalated by {}", why);
    last_answer_ = std::move(response);
    next_step();
}

void CascadeDriver::finish_unaccepted() {
    if (last_answer_) {
        // The strongest model asked has the last word: its answer is returned, unaccepted.
        for (auto it = route_.steps.rbegin(); it != route_.steps.rend(); ++it)
            if (it->status == 200) {
                route_.target = it->pool;
                break;
            }
        route_.reason = fmt::format("no step reached the thresholds; the last answer, pool \"{}\"'s, is returned",
                                    route_.target);
        ChatResponse r = std::move(*last_answer_);
        last_answer_.reset();
        finish(std::move(r));
        return;
    }
    std::string steps;
    for (const CascadeStep& s : route_.steps) steps += fmt::format("{}{} ({})", steps.empty() ? "" : ", ", s.pool, s.note);
    ChatResponse r;
    if (last_failure_) {
        // Every step sent failed: the last failure, with its status and class, says so.
        r = std::move(*last_failure_);
        r.error = fmt::format("no step of cascade \"{}\" answered: {}", plan_.model, steps);
    } else if (cancelled_) {
        r.status = 499;
        r.error_class = ErrorClass::cancelled;
        r.trace.error = RouteError::cancelled;
        r.error = "cancelled";
    } else if (deadline_passed_) {
        r.status = 504;
        r.error_class = ErrorClass::timeout;
        r.trace.error = RouteError::deadline_exceeded;
        r.error = fmt::format("no step of cascade \"{}\" could be sent: {}", plan_.model, steps);
    } else {
        r.status = 400;
        r.error_class = ErrorClass::invalid_request;
        r.trace.error = RouteError::rejected;
        r.error = fmt::format("no step of cascade \"{}\" fits the budget of {:.6g} USD: {}", plan_.model,
                              *route_.budget_usd, steps);
    }
    route_.reason = r.error;
    finish(std::move(r));
}

void CascadeDriver::finish(ChatResponse response) {
    if (finished_) return;
    finished_ = true;
    response.trace.model = plan_.model;
    response.trace.attempts = std::move(attempts_);
    if (std::any_of(route_.steps.begin(), route_.steps.end(), [](const CascadeStep& s) { return s.cost_usd; }))
        response.cost_usd = route_.spent_usd;  // what the caller paid: every step's
    response.trace.route = std::move(route_);
    const TimePoint now = host_.io().loop.clock().now();
    std::optional<TimePoint> first_content;
    if (check_.stream && response.ok()) {
        deliver_stream(response);
        first_content = now;
    }
    if (RouterObserver* o = host_.observer())
        report_request_finished(*o, id_, origin_, providers::Endpoint::chat_completions, check_.stream, response, submitted_,
                                first_content, now);
    if (done_) done_(std::move(response));
    host_.finished(id_);
}

void CascadeDriver::deliver_stream(const ChatResponse& response) {
    if (!on_chunk_) return;
    // The accepted answer cannot be streamed before it is judged: it comes as one chunk with its
    // message (text and tool calls), one with its finish reason, and usage when asked for.
    simdjson::dom::parser parser;
    simdjson::dom::element body;
    std::string_view id = "cascade", model;
    std::int64_t created = 0;
    std::vector<providers::OpenAiToolCall> calls;
    if (!parser.parse(response.body).get(body)) {
        // Absent members keep their defaults.
        if (body["id"].get(id)) id = "cascade";
        if (body["model"].get(model)) model = {};
        if (body["created"].get(created)) created = 0;
        simdjson::dom::array tool_calls;
        if (!body.at_pointer("/choices/0/message/tool_calls").get(tool_calls)) {
            std::int64_t index = 0;
            for (simdjson::dom::element call : tool_calls) {
                providers::OpenAiToolCall c;
                c.index = index++;
                std::string_view v;
                if (!call["id"].get(v)) c.id = v;
                if (!call.at_pointer("/function/name").get(v)) c.name = v;
                if (!call.at_pointer("/function/arguments").get(v)) c.arguments = v;
                calls.push_back(c);
            }
        }
    }
    const providers::OpenAiHead head{id, created, model};
    providers::OpenAiChoice message;
    message.role = "assistant";
    message.content = response.text;
    message.tool_calls = calls;
    on_chunk_(providers::write_chat_chunk(head, message));
    providers::OpenAiChoice end;
    end.finish_reason = response.finish_reason.empty() ? std::string_view("stop") : response.finish_reason;
    on_chunk_(providers::write_chat_chunk(head, end));
    if (include_usage_)
        on_chunk_(providers::write_chat_chunk(head, std::span<const providers::OpenAiChoice>(),
                                              providers::OpenAiUsage{response.usage, 0, 0}));
}

}  // namespace sw::api
