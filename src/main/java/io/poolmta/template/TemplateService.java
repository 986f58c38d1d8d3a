package io.poolmta.template;

import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.Tag;
import io.poolmta.tag.TagStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The email templates of each account, with SES's limits: at most {@value #MAX_TEMPLATES} templates
 * per account and {@value #MAX_TEMPLATE_BYTES} bytes per template (Subject, Text and Html together,
 * UTF-8). A template is compiled when it is created or updated, so a syntax error is a BAD_REQUEST
 * then and never a surprise at sending time. Compiled templates are kept (up to
 * {@value #CACHE_SIZE}, least recently used out first) under account, name and version: a message
 * never compiles a stored template, and an update or delete drops the kept copy. Another account's
 * template is NOT_FOUND, like one that does not exist. Inline templates (TemplateContent in a send,
 * up to {@value #MAX_INLINE_BYTES} bytes) are compiled once per call and not kept. A template's
 * tags (given at create time or by TagResource) are stored with it and deleted with it.
 */
public final class TemplateService {
    public static final int MAX_TEMPLATES = 20_000;
    /** 500 KB, as SES's "each template can be up to 500 KB, text and HTML parts included". */
    public static final int MAX_TEMPLATE_BYTES = 500 * 1024;
    /** SES: an inline template's content may be up to 1 MB. */
    public static final int MAX_INLINE_BYTES = 1024 * 1024;

    static final int CACHE_SIZE = 4096;

    private final TemplateStore store;
    private final TemplateEngine engine;
    private final TagStore tags;
    private final Transactions tx;
    private final Clock clock;
    private final Map<Key, CompiledTemplate> compiled = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, CompiledTemplate> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private record Key(String accountId, String name, long version) {}

    public TemplateService(TemplateStore store, TemplateEngine engine, TagStore tags, Transactions tx, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.tags = tags;
        this.tx = tx;
        this.clock = clock;
    }

    public void create(String accountId, String name, TemplateContent content) {
        create(accountId, name, content, List.of());
    }

    public void create(String accountId, String name, TemplateContent content, List<Tag> templateTags) {
        TemplateNames.requireValid(name);
        Tag.requireDistinctKeys(templateTags);
        CompiledTemplate checked = check(name, content);
        EmailTemplate template = new EmailTemplate(accountId, name, content, clock.instant(), 1);
        tx.run(() -> {
            if (store.get(accountId, name).isPresent()) {
                throw PoolMtaException.alreadyExists("Template " + name + " already exists.");
            }
            if (store.count(accountId) >= MAX_TEMPLATES) {
                throw PoolMtaException.limitExceeded("An account can have at most " + MAX_TEMPLATES + " templates.");
            }
            store.insert(template);
            if (!templateTags.isEmpty()) {
                tags.put(accountId, ResourceType.TEMPLATE, name, templateTags);
            }
        });
        keep(template, checked);
    }

    public EmailTemplate get(String accountId, String name) {
        TemplateNames.requireValid(name);
        return store.get(accountId, name).orElseThrow(() -> notFound(name));
    }

    public boolean exists(String accountId, String name) {
        try {
            return store.version(accountId, TemplateNames.requireValid(name)).isPresent();
        } catch (PoolMtaException invalid) {
            return false;
        }
    }

    /** The template's tags in the order they were first set; NOT_FOUND when the template is absent. */
    public List<Tag> tags(String accountId, String name) {
        get(accountId, name);
        return tags.list(accountId, ResourceType.TEMPLATE, name);
    }

    public void update(String accountId, String name, TemplateContent content) {
        TemplateNames.requireValid(name);
        CompiledTemplate checked = check(name, content);
        EmailTemplate updated = tx.write(() -> {
            EmailTemplate next = get(accountId, name).withContent(content);
            store.update(next);
            return next;
        });
        forget(accountId, name);
        keep(updated, checked);
    }

    public void delete(String accountId, String name) {
        tx.run(() -> {
            get(accountId, name);
            tags.removeAll(accountId, ResourceType.TEMPLATE, name);
            store.delete(accountId, name);
        });
        forget(accountId, name);
    }

    public Page<TemplateSummary> list(String accountId, PageRequest page) {
        return page.slice(store.list(accountId, page.after(), page.pageSize() + 1), TemplateSummary::name);
    }

    /** The stored template compiled: from the kept copies, else compiled now and kept. NOT_FOUND when absent. */
    public CompiledTemplate compiled(String accountId, String name) {
        TemplateNames.requireValid(name);
        long version = store.version(accountId, name).orElseThrow(() -> notFound(name));
        CompiledTemplate kept;
        synchronized (compiled) {
            kept = compiled.get(new Key(accountId, name, version));
        }
        if (kept != null) {
            return kept;
        }
        EmailTemplate template = get(accountId, name);
        CompiledTemplate fresh = engine.compile(name, template.content());
        keep(template, fresh);
        return fresh;
    }

    /** Inline TemplateContent of a send: checked and compiled for this call only (SES does not store it). */
    public CompiledTemplate compileInline(TemplateContent content) {
        long size = content.sizeBytes();
        if (size > MAX_INLINE_BYTES) {
            throw PoolMtaException.badRequest(
                    "The inline TemplateContent is " + size + " bytes; at most " + MAX_INLINE_BYTES + " are allowed.");
        }
        return engine.compile("inline", content);
    }

    public RenderedEmail render(CompiledTemplate template, TemplateData data) {
        return engine.render(template, data);
    }

    /**
     * Drops every kept compiled template, for a change another node made: a template it deleted and
     * created again starts at version 1, which a kept copy of the old one would match.
     */
    public void forgetCompiled() {
        synchronized (compiled) {
            compiled.clear();
        }
    }

    /** How many compiled templates are kept (for tests of the cache). */
    int keptCount() {
        synchronized (compiled) {
            return compiled.size();
        }
    }

    private CompiledTemplate check(String name, TemplateContent content) {
        long size = content.sizeBytes();
        if (size > MAX_TEMPLATE_BYTES) {
            throw PoolMtaException.badRequest(
                    "Template " + name + " is " + size + " bytes; a template may have at most " + MAX_TEMPLATE_BYTES
                            + " bytes (Subject, Text and Html together).");
        }
        return engine.compile(name, content);
    }

    private void keep(EmailTemplate template, CompiledTemplate compiledTemplate) {
        synchronized (compiled) {
            compiled.put(new Key(template.accountId(), template.name(), template.version()), compiledTemplate);
        }
    }

    private void forget(String accountId, String name) {
        synchronized (compiled) {
            compiled.keySet()
                    .removeIf(k -> k.accountId().equals(accountId) && k.name().equals(name));
        }
    }

    private static PoolMtaException notFound(String name) {
        return PoolMtaException.notFound("Template " + name + " does not exist.");
    }
}
