package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The documented async variant: POST .../async/chat/completions answers at once with
 * task_status PROCESSING; GET .../async-result/{id} reports PROCESSING until the simulated latency
 * has passed, then SUCCESS with the usual choices and usage. Async tasks do not take concurrency
 * slots [I: undocumented] and get no injected transport faults.
 */
final class AsyncTasks {
  private final ChatCompletionsEndpoint endpoint;
  private final SimulatorConfig config;
  private final StatsRecorder stats;
  private final ReplyAudioRegistry audioRegistry;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();

  private record Task(String requestId, ObjectNode result) {}

  AsyncTasks(
      ChatCompletionsEndpoint endpoint,
      SimulatorConfig config,
      StatsRecorder stats,
      ReplyAudioRegistry audioRegistry,
      ScheduledExecutorService scheduler) {
    this.endpoint = endpoint;
    this.config = config;
    this.stats = stats;
    this.audioRegistry = audioRegistry;
    this.scheduler = scheduler;
  }

  void submit(HttpExchange exchange) throws IOException {
    ChatCompletionsEndpoint.Admitted a;
    try {
      a = endpoint.screenForAsync(exchange);
    } catch (ServiceErrorException e) {
      endpoint.sendError(exchange, e, false);
      return;
    }
    tasks.put(a.id(), new Task(a.requestId(), null));
    Duration latency = config.latency().sample(a.random().split());
    ChatCompletionsEndpoint.Admitted admitted = a;
    scheduler.schedule(
        () -> {
          ChatCompletion completion = endpoint.generate(admitted);
          stats.bill(admitted.requestId(), completion.promptTokens(), completion.completionTokens());
          audioRegistry.remember(completion.audioId(), completion.plan().audioTokens());
          ObjectNode result = completion.toJson(null);
          result.put("task_status", "SUCCESS");
          tasks.put(admitted.id(), new Task(admitted.requestId(), result));
        },
        latency.toNanos(),
        TimeUnit.NANOSECONDS);
    ResponseWriter.json(exchange, 200, status(a.id(), a.requestId(), "PROCESSING"), stats::okReply);
  }

  void result(HttpExchange exchange, String taskId) throws IOException {
    try {
      endpoint.authenticate(exchange);
    } catch (ServiceErrorException e) {
      endpoint.sendError(exchange, e, false);
      return;
    }
    Task task = tasks.get(taskId);
    if (task == null) {
      endpoint.sendError(exchange, ServiceErrorException.invalidParameter("id", "任务不存在: " + taskId), false);
      return;
    }
    ResponseWriter.json(
        exchange, 200, task.result() != null ? task.result() : status(taskId, task.requestId(), "PROCESSING"));
  }

  private ObjectNode status(String id, String requestId, String taskStatus) {
    ObjectNode node = ResponseWriter.JSON.createObjectNode();
    node.put("model", config.model());
    node.put("id", id);
    node.put("request_id", requestId);
    node.put("task_status", taskStatus);
    return node;
  }
}
