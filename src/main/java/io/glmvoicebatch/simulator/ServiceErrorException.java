package io.glmvoicebatch.simulator;

/**
 * A documented service error: HTTP status plus the string code and message of the JSON body
 * {@code {"error":{"code":"...","message":"..."}}}. Messages follow the real service's Chinese
 * wording where known, with the offending parameter named so test failures are readable.
 */
final class ServiceErrorException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final String code;

  ServiceErrorException(int httpStatus, String code, String message) {
    super(message, null, false, false); // control flow, not a bug: no stack trace
    this.httpStatus = httpStatus;
    this.code = code;
  }

  int httpStatus() {
    return httpStatus;
  }

  String code() {
    return code;
  }

  static ServiceErrorException internal() {
    return new ServiceErrorException(500, "500", "服务器内部错误，请稍后重试。");
  }

  static ServiceErrorException authFailed() {
    return new ServiceErrorException(401, "1000", "身份验证失败。");
  }

  static ServiceErrorException authHeaderMissing() {
    return new ServiceErrorException(
        401, "1001", "Header中未收到Authentication参数，无法进行身份验证。");
  }

  static ServiceErrorException tokenInvalid(String why) {
    return new ServiceErrorException(
        401, "1002", "Authentication Token非法，请确认Authentication Token正确传递。(" + why + ")");
  }

  static ServiceErrorException tokenExpired() {
    return new ServiceErrorException(401, "1003", "Authentication Token已过期，请重新生成/获取。");
  }

  static ServiceErrorException arrears() {
    return new ServiceErrorException(429, "1113", "您的账户已欠费，请充值后重试。");
  }

  static ServiceErrorException badParameter(String detail) {
    return new ServiceErrorException(400, "1210", "API 调用参数有误，请检查文档。" + detail);
  }

  static ServiceErrorException modelNotFound(String model) {
    return new ServiceErrorException(400, "1211", "模型不存在，请检查模型代码。model=" + model);
  }

  static ServiceErrorException missingParameter(String name) {
    return new ServiceErrorException(400, "1213", "未正常接收到" + name + "参数。");
  }

  static ServiceErrorException invalidParameter(String name, String why) {
    return new ServiceErrorException(400, "1214", name + "参数非法。请检查文档。" + why);
  }

  static ServiceErrorException duplicateRequestId(String requestId) {
    return new ServiceErrorException(400, "1231", "您当前已有请求：" + requestId);
  }

  static ServiceErrorException promptTooLong(long promptTokens, long maxTokens, int window) {
    return new ServiceErrorException(
        400,
        "1261",
        "Prompt 超长。prompt_tokens=" + promptTokens + " + max_tokens=" + maxTokens + " > " + window);
  }

  static ServiceErrorException sensitive() {
    return new ServiceErrorException(
        400, "1301", "系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。");
  }

  static ServiceErrorException concurrencyExceeded() {
    return new ServiceErrorException(429, "1302", "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。");
  }

  static ServiceErrorException overloaded() {
    return new ServiceErrorException(429, "1305", "当前API请求过多，请稍后重试。");
  }

  static ServiceErrorException notFound(String path) {
    return new ServiceErrorException(404, "404", "Not Found: " + path);
  }

  static ServiceErrorException methodNotAllowed(String method) {
    return new ServiceErrorException(405, "405", "Method Not Allowed: " + method);
  }
}
