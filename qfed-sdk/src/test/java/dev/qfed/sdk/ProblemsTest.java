package dev.qfed.sdk;

import dev.qfed.api.ApiJson;
import dev.qfed.api.ErrorCode;
import dev.qfed.api.ErrorKind;
import dev.qfed.api.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How error answers become exceptions; the server-side half is in {@code ClientAgainstServerIT}. */
class ProblemsTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeBecomesTheExceptionOfItsKind(ErrorCode code) {
        ProblemException e = Problems.toException(Problem.of(code, "because"), Optional.empty());
        Class<? extends ProblemException> expected = switch (code.kind()) {
            case INVALID_INPUT -> InvalidInputException.class;
            case LIMIT -> LimitExceededException.class;
            case NOT_ALLOWED -> code == ErrorCode.UNAUTHENTICATED ? UnauthenticatedException.class
                    : ForbiddenException.class;
            case NOT_FOUND -> NotFoundException.class;
            case CONFLICT -> ConflictException.class;
            case UNAVAILABLE -> UnavailableException.class;
            case INTERNAL -> ServerErrorException.class;
        };
        assertThat(e).isExactlyInstanceOf(expected);
        assertThat(e.kind()).isEqualTo(code.kind());
        assertThat(e.errorCode()).contains(code);
        assertThat(e.code()).isEqualTo(code.slug());
        assertThat(e.status()).isEqualTo(code.httpStatus());
        assertThat(e.retryable()).isEqualTo(code.retryable());
        assertThat(e.getMessage()).isEqualTo("because");
    }

    @ParameterizedTest
    @CsvSource({
            "400, INVALID_INPUT", "401, NOT_ALLOWED", "403, NOT_ALLOWED", "404, NOT_FOUND", "409, CONFLICT",
            "413, LIMIT", "418, INVALID_INPUT", "422, INVALID_INPUT", "429, UNAVAILABLE", "500, INTERNAL",
            "502, UNAVAILABLE", "503, UNAVAILABLE", "504, UNAVAILABLE"})
    void aTypeFromANewerServerIsJudgedByItsStatus(int status, ErrorKind kind) {
        Problem p = new Problem("https://qfed.dev/problems/something-new", "New", status, "new detail",
                Optional.empty(), "something-new", false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        ProblemException e = Problems.toException(p, Optional.empty());
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.errorCode()).isEmpty();
        if (status == 401) {
            assertThat(e).isInstanceOf(UnauthenticatedException.class);
        }
        if (status == 403) {
            assertThat(e).isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void anOpenQasmProblemKeepsCircuitLineAndColumn() {
        Problem sent = Problem.of(ErrorCode.QASM_SYNTAX, "expected ';'").withPosition(1, 4, 7)
                .withField("circuits[1].qasm");
        byte[] body = ApiJson.write(sent).getBytes(StandardCharsets.UTF_8);

        Problem read = Problems.read(422, Optional.of("application/problem+json"), body);
        ProblemException e = Problems.toException(read, Optional.empty());

        assertThat(e).isInstanceOfSatisfying(InvalidInputException.class, invalid -> {
            assertThat(invalid.circuit()).contains(1);
            assertThat(invalid.line()).contains(4);
            assertThat(invalid.column()).contains(7);
            assertThat(invalid.field()).contains("circuits[1].qasm");
        });
    }

    @Test
    void aProblemWithFieldsThisClientDoesNotKnowIsStillRead() {
        String body = """
                {"type": "https://qfed.dev/problems/not-found", "title": "Not found", "status": 404,
                 "detail": "no job j-1", "code": "not-found", "retryable": false, "trace_id": "abc"}""";
        Problem read = Problems.read(404, Optional.of("application/problem+json"), body.getBytes(StandardCharsets.UTF_8));
        assertThat(read.detail()).isEqualTo("no job j-1");
        assertThat(Problems.toException(read, Optional.empty())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aGatewayPageWithoutProblemDetailsBecomesAProblemNamedAfterTheStatus() {
        byte[] html = "<html><body><h1>502 Bad Gateway</h1>\n</body></html>".getBytes(StandardCharsets.UTF_8);
        Problem p = Problems.read(502, Optional.of("text/html"), html);
        assertThat(p.code()).isEqualTo("http-502");
        assertThat(p.retryable()).isTrue();
        assertThat(p.detail()).contains("HTTP 502").contains("Bad Gateway");
        assertThat(Problems.toException(p, Optional.of(Duration.ofSeconds(2))))
                .isInstanceOfSatisfying(UnavailableException.class,
                        u -> assertThat(u.retryAfter()).contains(Duration.ofSeconds(2)));
    }

    @Test
    void aBrokenProblemBodyIsReportedWithItsStatusRatherThanAsAParseError() {
        Problem p = Problems.read(404, Optional.of("application/problem+json"),
                "{\"type\": 3".getBytes(StandardCharsets.UTF_8));
        assertThat(p.code()).isEqualTo("http-404");
        assertThat(Problems.toException(p, Optional.empty())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void retryAfterIsReadInSecondsOrAsAnHttpDate() {
        assertThat(QfedClient.parseRetryAfter("3")).contains(Duration.ofSeconds(3));
        assertThat(QfedClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(QfedClient.parseRetryAfter("soon")).isEmpty();
    }
}
