package io.poolmta.account;

/** What the operator gets back when an account is created: the account and its first key. */
public record NewAccount(Account account, AccessKey key) {}
