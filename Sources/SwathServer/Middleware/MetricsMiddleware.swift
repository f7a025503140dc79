import Hummingbird

/// Counts every request and times it, by the route template that matched
/// (`NotFound` when none did) and the status it got, errors included.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: Int(response.status.code), since: started)
            return response
        } catch let error as HTTPResponseError {
            record(request, context: context, status: Int(error.status.code), since: started)
            throw error
        } catch {
            record(request, context: context, status: 500, since: started)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since started: ContinuousClock.Instant) {
        metrics.recordRequest(route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status,
                              duration: ContinuousClock.now - started)
    }
}
