package io.poolmta.console;

import io.poolmta.http.Router;
import io.poolmta.pool.DedicatedIpView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Create a New IP Pool wizard, step by step as SES's console procedure: 1 IP Pool Name, 2 Add
 * Dedicated IPs, 3 Assign to a configuration set, 4 Review and Create. The choices travel in the
 * form (no server state); Next checks the steps so far with {@link PoolWizardPlan#check} and shows
 * a refusal beside its field; Back keeps every choice; Create applies the plan in one transaction
 * and lands on the new pool's page, or stays on Review saying what failed.
 */
final class PoolWizard {
    private final ConsoleServices s;
    private final AccountReads reads;

    PoolWizard(ConsoleServices services) {
        this.s = services;
        this.reads = new AccountReads(services);
    }

    void register(Router<Page> router) {
        router.add("GET", "/console/create-pool", call -> render(call, 1, Form.EMPTY, Views.Errors.NONE, ""))
                .add("POST", "/console/create-pool", this::submit)
                .add("GET", "/console/create-pool/name-check", this::nameCheck);
    }

    /**
     * The pool name's message beside the field while it is typed (htmx asks for it): step 1's own
     * check, a rolled-back CreateDedicatedIpPool, answered as the fragment that goes in its place.
     * Without JavaScript nothing asks for it and Next shows the same message.
     */
    private ConsoleResponse nameCheck(Call call) {
        String name = call.request().query().first("pool-name").orElse("").strip();
        String message = "";
        if (!name.isEmpty()) {
            try {
                new PoolWizardPlan(name, Map.of(), PoolWizardPlan.SetChoice.NONE, "", "")
                        .check(s, call.accountId(), PoolWizardPlan.Stage.NAME);
            } catch (PoolWizardPlan.StepFailed failed) {
                message = failed.getMessage();
            }
        }
        return ConsoleResponse.page("pool-name-check.jte", "", "pools", Views.Errors.of("pool-name", message));
    }

    private ConsoleResponse submit(Call call) {
        Form form = call.form();
        int step = Math.clamp(parseStep(form.get("step")), 1, 4);
        String go = form.get("go");
        if (go.equals("back")) {
            return render(call, Math.max(1, step - 1), form, Views.Errors.NONE, "");
        }
        PoolWizardPlan plan = plan(form);
        PoolWizardPlan.Stage upTo = switch (step) {
            case 1 -> PoolWizardPlan.Stage.NAME;
            case 2 -> PoolWizardPlan.Stage.IPS;
            default -> PoolWizardPlan.Stage.SET;
        };
        try {
            if (step == 4 && go.equals("create")) {
                plan.apply(s, call.accountId());
                return ConsoleResponse.redirect("/console/pools/" + plan.poolName() + "?created=1");
            }
            plan.check(s, call.accountId(), upTo);
        } catch (PoolWizardPlan.StepFailed failed) {
            if (step == 4) {
                return render(
                        call,
                        4,
                        form,
                        Views.Errors.NONE,
                        "Nothing was created: " + failed.getMessage() + " (step: " + stepName(failed.stage()) + ")");
            }
            int failedStep = failed.stage().ordinal() + 1;
            return render(
                    call, failedStep, form, Views.Errors.of(field(failed.stage(), plan), failed.getMessage()), "");
        }
        return render(call, Math.min(4, step + 1), form, Views.Errors.NONE, "");
    }

    private static String field(PoolWizardPlan.Stage stage, PoolWizardPlan plan) {
        if (stage != PoolWizardPlan.Stage.SET) {
            return stage.field();
        }
        return plan.setChoice() == PoolWizardPlan.SetChoice.NEW ? "new-set" : "existing-set";
    }

    private static String stepName(PoolWizardPlan.Stage stage) {
        return switch (stage) {
            case NAME -> "IP Pool Name";
            case IPS -> "Add Dedicated IPs";
            case SET -> "Assign to a configuration set";
        };
    }

    static PoolWizardPlan plan(Form form) {
        Map<String, String> ips = new LinkedHashMap<>();
        for (String value : form.all("ip")) {
            int bar = value.indexOf('|');
            ips.put(bar < 0 ? value : value.substring(0, bar), bar < 0 ? "" : value.substring(bar + 1));
        }
        return new PoolWizardPlan(
                form.get("pool-name").strip(),
                ips,
                PoolWizardPlan.SetChoice.parse(form.get("set-choice")),
                form.get("existing-set"),
                form.get("new-set").strip());
    }

    private ConsoleResponse render(Call call, int step, Form form, Views.Errors errors, String failure) {
        PoolWizardPlan plan = plan(form);
        List<PoolWizardView.IpChoice> chosen = new ArrayList<>();
        plan.ipsWithPool().forEach((ip, pool) -> chosen.add(new PoolWizardView.IpChoice(ip, pool, true)));
        List<PoolWizardView.IpChoice> all = List.of();
        if (step == 2) {
            all = new ArrayList<>();
            for (DedicatedIpView ip : reads.ipViews(call.accountId(), Optional.empty())) {
                String address = ip.ip().text();
                all.add(new PoolWizardView.IpChoice(
                        address, ip.poolName(), plan.ipsWithPool().containsKey(address)));
            }
        }
        List<String> sets = step == 3 ? reads.setNames(call.accountId()) : List.of();
        PoolWizardView view = new PoolWizardView(
                step,
                plan.poolName(),
                all,
                chosen,
                plan.setChoice().formValue(),
                plan.existingSet(),
                plan.newSet(),
                sets,
                errors,
                failure);
        int status = errors.byField().isEmpty() && failure.isEmpty() ? 200 : 400;
        return ConsoleResponse.status(status, "pool-wizard.jte", "Create a New IP Pool", "pools", view);
    }

    private static int parseStep(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
