package io.poolmta.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Page sizes, slicing a sorted listing, and the opaque NextToken of {@link PageRequest}. */
class PageRequestTest {
    private static final List<String> LETTERS = List.of("a", "b", "c", "d", "e", "f", "g");

    @Test
    void defaultsToOneHundredWithNoStart() {
        PageRequest page = PageRequest.of(Optional.empty(), Optional.empty());

        assertThat(page.pageSize()).isEqualTo(100).isEqualTo(PageRequest.DEFAULT_PAGE_SIZE);
        assertThat(page.after()).isEmpty();
        assertThat(PageRequest.MAX_PAGE_SIZE).isEqualTo(1000);
    }

    @Test
    void anEmptyTokenMeansTheFirstPage() {
        assertThat(PageRequest.of(Optional.of(5), Optional.of("")).after()).isEmpty();
    }

    @Test
    void sizeMustBeBetweenOneAndOneThousand() {
        assertThat(PageRequest.first(1).pageSize()).isEqualTo(1);
        assertThat(PageRequest.first(1000).pageSize()).isEqualTo(1000);
        assertThat(PageRequest.of(Optional.of(1000), Optional.empty()).pageSize())
                .isEqualTo(1000);
        for (int bad : new int[] {0, -1, 1001, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            PoolMtaException error = catchThrowableOfType(PoolMtaException.class, () -> PageRequest.first(bad));
            assertThat(error).as("size %d", bad).isNotNull();
            assertThat(error.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(error.getMessage()).contains("PageSize").contains(String.valueOf(bad));
            assertThat(catchThrowableOfType(
                            PoolMtaException.class, () -> PageRequest.of(Optional.of(bad), Optional.empty())))
                    .isNotNull();
        }
    }

    @Test
    void firstPageTakesPageSizeItemsAndPointsAfterTheLast() {
        Page<String> page = PageRequest.first(3).slice(LETTERS, Function.identity());

        assertThat(page.items()).containsExactly("a", "b", "c");
        assertThat(page.nextToken()).isPresent();
        assertThat(PageRequest.decode(page.nextToken().get())).isEqualTo("c");
    }

    @Test
    void followingTheTokensVisitsEveryItemOnceInOrder() {
        for (int size = 1; size <= 8; size++) {
            List<String> seen = new ArrayList<>();
            Optional<String> token = Optional.empty();
            int pages = 0;
            do {
                Page<String> page = PageRequest.of(Optional.of(size), token).slice(LETTERS, Function.identity());
                assertThat(page.items()).hasSizeLessThanOrEqualTo(size).isNotEmpty();
                seen.addAll(page.items());
                token = page.nextToken();
                pages++;
            } while (token.isPresent());
            assertThat(seen).as("size %d", size).containsExactlyElementsOf(LETTERS);
            assertThat(pages).as("size %d", size).isEqualTo((LETTERS.size() + size - 1) / size);
        }
    }

    @Test
    void lastPageThatEndsExactlyHasNoToken() {
        Page<String> first =
                PageRequest.first(4).slice(List.of("a", "b", "c", "d", "e", "f", "g", "h"), Function.identity());
        Page<String> second = PageRequest.of(Optional.of(4), first.nextToken())
                .slice(List.of("a", "b", "c", "d", "e", "f", "g", "h"), Function.identity());

        assertThat(second.items()).containsExactly("e", "f", "g", "h");
        assertThat(second.nextToken()).isEmpty();
    }

    @Test
    void emptyListingIsOneEmptyPage() {
        Page<String> page = PageRequest.first(10).slice(List.of(), Function.identity());

        assertThat(page.items()).isEmpty();
        assertThat(page.nextToken()).isEmpty();
    }

    @Test
    void slicesBySortKeyNotByItem() {
        record Item(int n) {}
        List<Item> items = IntStream.rangeClosed(1, 12).mapToObj(Item::new).toList();
        Function<Item, String> key = i -> String.format("%03d", i.n());

        Page<Item> first = PageRequest.first(5).slice(items, key);
        Page<Item> second = PageRequest.of(Optional.of(5), first.nextToken()).slice(items, key);
        Page<Item> third = PageRequest.of(Optional.of(5), second.nextToken()).slice(items, key);

        assertThat(first.items()).extracting(Item::n).containsExactly(1, 2, 3, 4, 5);
        assertThat(second.items()).extracting(Item::n).containsExactly(6, 7, 8, 9, 10);
        assertThat(third.items()).extracting(Item::n).containsExactly(11, 12);
        assertThat(third.nextToken()).isEmpty();
    }

    @Test
    void aTokenResumesAfterItsKeyEvenWhenTheListingChanged() {
        String token = PageRequest.first(2)
                .slice(LETTERS, Function.identity())
                .nextToken()
                .orElseThrow();

        // "b" (the last key seen) was deleted and "bb" added since: the next page starts after "b".
        Page<String> next = PageRequest.of(Optional.of(2), Optional.of(token))
                .slice(List.of("a", "bb", "c", "d"), Function.identity());

        assertThat(next.items()).containsExactly("bb", "c");
    }

    @Test
    void aTokenPastTheEndGivesAnEmptyLastPage() {
        Page<String> page = PageRequest.of(Optional.of(3), Optional.of(PageRequest.encode("zzz")))
                .slice(LETTERS, Function.identity());

        assertThat(page.items()).isEmpty();
        assertThat(page.nextToken()).isEmpty();
    }

    @Test
    void tokensRoundTripAndAreOpaqueUrlSafeText() {
        for (String key : List.of("a", "pool-07", "127.000.000.010", "with space/and+plus", "ünïcödé", "")) {
            String token = PageRequest.encode(key);
            assertThat(PageRequest.decode(token)).isEqualTo(key);
            assertThat(PageRequest.of(Optional.empty(), Optional.of(token)).after())
                    .contains(key);
            assertThat(token).matches("[A-Za-z0-9_-]+");
        }
    }

    @Test
    void badTokensAreBadRequests() {
        String noPrefix = Base64.getUrlEncoder().withoutPadding().encodeToString("c".getBytes(StandardCharsets.UTF_8));
        String otherPrefix =
                Base64.getUrlEncoder().withoutPadding().encodeToString("pmta2:c".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of(
                "not-a-token",
                "%%%",
                "!!!!",
                "a",
                "c",
                noPrefix,
                otherPrefix,
                "pmta1:c",
                PageRequest.encode("c") + "*")) {
            PoolMtaException error = catchThrowableOfType(
                    PoolMtaException.class, () -> PageRequest.of(Optional.empty(), Optional.of(bad)));
            assertThat(error).as("token %s", bad).isNotNull();
            assertThat(error.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(error.getMessage()).contains("NextToken");
        }
    }
}
