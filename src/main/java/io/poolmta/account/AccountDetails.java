package io.poolmta.account;

import io.poolmta.common.PoolMtaException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an account told the operator about its sending (SES PutAccountDetails), validated as SES's
 * model does: a website URL of 1-1000 characters, a use case of at most 5000, 1-4 additional
 * contact addresses of 6-254 characters with an '@'. {@code review} is the state of its request
 * for production access, empty when it asked for none.
 */
public record AccountDetails(
        MailType mailType,
        String websiteUrl,
        Optional<ContactLanguage> contactLanguage,
        Optional<String> useCaseDescription,
        List<String> additionalContactEmailAddresses,
        Optional<ReviewStatus> review,
        Instant submittedAt) {
    private static final Pattern URL = Pattern.compile("^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\\?([^#]*))?(#(.*))?");
    private static final Pattern CONTACT = Pattern.compile("^(.+)@(.+)$");

    public AccountDetails {
        Objects.requireNonNull(mailType, "MailType");
        Objects.requireNonNull(submittedAt);
        additionalContactEmailAddresses = List.copyOf(additionalContactEmailAddresses);
        if (websiteUrl == null || websiteUrl.isEmpty() || websiteUrl.length() > 1000) {
            throw PoolMtaException.badRequest("WebsiteURL must be 1-1000 characters.");
        }
        if (!URL.matcher(websiteUrl).matches() || websiteUrl.chars().anyMatch(Character::isISOControl)) {
            throw PoolMtaException.badRequest("WebsiteURL is not a valid URL.");
        }
        if (useCaseDescription.isPresent() && useCaseDescription.get().length() > 5000) {
            throw PoolMtaException.badRequest("UseCaseDescription must be at most 5000 characters.");
        }
        if (additionalContactEmailAddresses.size() > 4) {
            throw PoolMtaException.badRequest("AdditionalContactEmailAddresses must have 1-4 addresses, got "
                    + additionalContactEmailAddresses.size() + ".");
        }
        for (int i = 0; i < additionalContactEmailAddresses.size(); i++) {
            String address = additionalContactEmailAddresses.get(i);
            if (address.length() < 6
                    || address.length() > 254
                    || !CONTACT.matcher(address).matches()
                    || address.chars().anyMatch(c -> Character.isISOControl(c) || c == '\n')) {
                throw PoolMtaException.badRequest(
                        "AdditionalContactEmailAddresses[" + i + "] must be an email address of 6-254 characters.");
            }
        }
    }

    public AccountDetails withReview(Optional<ReviewStatus> status) {
        return new AccountDetails(
                mailType,
                websiteUrl,
                contactLanguage,
                useCaseDescription,
                additionalContactEmailAddresses,
                status,
                submittedAt);
    }

    public AccountDetails withSubmittedAt(Instant at) {
        return new AccountDetails(
                mailType, websiteUrl, contactLanguage, useCaseDescription, additionalContactEmailAddresses, review, at);
    }

    /** Whether the operator has a production-access request of this account to look at. */
    public boolean pending() {
        return review.equals(Optional.of(ReviewStatus.PENDING));
    }
}
