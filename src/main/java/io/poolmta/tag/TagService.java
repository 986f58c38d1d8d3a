package io.poolmta.tag;

import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * TagResource, UntagResource and ListTagsForResource. An ARN of another account, or of a resource
 * that does not exist, is NotFound: an account cannot learn what another account has. Tagging past
 * 50 tags fails as a whole.
 */
public final class TagService {
    private final TagStore store;
    private final Transactions tx;
    private final Map<ResourceType, BiPredicate<String, String>> exists;

    /** @param exists per resource type, whether (accountId, name) exists */
    public TagService(TagStore store, Transactions tx, Map<ResourceType, BiPredicate<String, String>> exists) {
        this.store = store;
        this.tx = tx;
        this.exists = Map.copyOf(exists);
    }

    public void tag(String accountId, String arn, List<Tag> tags) {
        ResourceArn resource = resolve(accountId, arn);
        if (tags.isEmpty()) {
            throw PoolMtaException.badRequest("Tags must contain at least one tag.");
        }
        Tag.requireDistinctKeys(tags);
        tx.run(() -> {
            requireExists(accountId, resource);
            Set<String> keys = new HashSet<>();
            store.list(accountId, resource.type(), resource.name()).forEach(t -> keys.add(t.key()));
            tags.forEach(t -> keys.add(t.key()));
            if (keys.size() > Tag.MAX_TAGS) {
                throw PoolMtaException.badRequest("A resource can have at most " + Tag.MAX_TAGS
                        + " tags; this request would give it " + keys.size() + ".");
            }
            store.put(accountId, resource.type(), resource.name(), tags);
        });
    }

    public void untag(String accountId, String arn, List<String> keys) {
        ResourceArn resource = resolve(accountId, arn);
        if (keys.isEmpty()) {
            throw PoolMtaException.badRequest("TagKeys must name at least one key.");
        }
        tx.run(() -> {
            requireExists(accountId, resource);
            store.remove(accountId, resource.type(), resource.name(), keys);
        });
    }

    public List<Tag> list(String accountId, String arn) {
        ResourceArn resource = resolve(accountId, arn);
        requireExists(accountId, resource);
        return store.list(accountId, resource.type(), resource.name());
    }

    private ResourceArn resolve(String accountId, String arn) {
        ResourceArn resource = ResourceArn.parse(arn);
        if (!resource.accountId().equals(accountId)) {
            throw notFound(resource);
        }
        return resource;
    }

    private void requireExists(String accountId, ResourceArn resource) {
        if (!exists.get(resource.type()).test(accountId, resource.name())) {
            throw notFound(resource);
        }
    }

    private static PoolMtaException notFound(ResourceArn resource) {
        return PoolMtaException.notFound("Resource " + resource + " does not exist.");
    }
}
