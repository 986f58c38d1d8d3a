package io.poolmta.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A validated request for one page: a size of 1–1000 (default 100) and the sort key after which the
 * page starts. NextToken values are opaque to clients: the last key of the previous page, tagged and
 * base64url-encoded; a token that does not decode is a bad request, never a silent restart.
 */
public record PageRequest(int pageSize, Optional<String> after) {
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    private static final String TOKEN_PREFIX = "pmta1:";

    public PageRequest {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw PoolMtaException.badRequest(
                    "PageSize must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize + ".");
        }
    }

    public static PageRequest of(Optional<Integer> pageSize, Optional<String> nextToken) {
        Optional<String> after = nextToken.filter(t -> !t.isEmpty()).map(PageRequest::decode);
        return new PageRequest(pageSize.orElse(DEFAULT_PAGE_SIZE), after);
    }

    public static PageRequest first(int pageSize) {
        return new PageRequest(pageSize, Optional.empty());
    }

    /** Cuts a page out of a listing already sorted by {@code key}, starting after {@link #after()}. */
    public <T> Page<T> slice(List<T> sorted, Function<T, String> key) {
        int start = 0;
        if (after.isPresent()) {
            String last = after.get();
            while (start < sorted.size() && key.apply(sorted.get(start)).compareTo(last) <= 0) {
                start++;
            }
        }
        int end = Math.min(sorted.size(), start + pageSize);
        List<T> items = sorted.subList(start, end);
        Optional<String> next = end < sorted.size() && !items.isEmpty()
                ? Optional.of(encode(key.apply(items.getLast())))
                : Optional.empty();
        return new Page<>(items, next);
    }

    static String encode(String lastKey) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((TOKEN_PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (raw.startsWith(TOKEN_PREFIX)) {
                return raw.substring(TOKEN_PREFIX.length());
            }
        } catch (IllegalArgumentException notBase64) {
            // fall through to the error below
        }
        throw PoolMtaException.badRequest(
                "NextToken is not valid; pass the NextToken of a previous response unchanged.");
    }
}
