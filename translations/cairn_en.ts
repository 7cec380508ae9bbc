<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Format</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 B/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 TiB/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::BackupDialog</name>
    <message>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup holds your keys and your place in the group (and, if you run the group, everything the group&apos;s authority knows). Keep it somewhere safe: with its passphrase, anyone can be you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restores your keys and your place in the group on this computer. Stop Cairn on the old computer first: two computers with the same keys confuse the group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup &amp;passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;peat it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It also becomes the passphrase of this profile on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn backups (*.cairn-backup);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a long passphrase: the backup file may be copied and guessed at for years.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No backup was written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase for this backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot restore: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::BandwidthChart</name>
    <message>
        <source>Bandwidth over the last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No traffic yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In: %1, out: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::ComposeDialog</name>
    <message>
        <source>&amp;Attach…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ubject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in your group: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n file, %1</numerusform>
            <numerusform>%n files, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>An attached file is gone. Remove it and attach it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too big to send: %1. Ask people in your group to donate more storage, or send less.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::ContactList</name>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop to send %1 to %2, end-to-end encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::ContactsModel</name>
    <message>
        <source>%1 (offline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is offline: what you send waits in the group for them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop files here to send them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::ContactsPage</name>
    <message>
        <source>&amp;Send files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Write mail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag files or folders onto a name to send them, end-to-end encrypted. People who are offline get them when they come back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot load the member list: %1. Retrying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody else is in the group yet. Invite people from the Dashboard (operators) or ask your operator for an invite.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send files to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a f&amp;older…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a folder to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write &amp;mail…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::DashboardPage</name>
    <message>
        <source>anyone with an invite joins at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you approve each request</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n more join at once, then you approve</source>
        <translation>
            <numerusform>%n more joins at once, then you approve</numerusform>
            <numerusform>%n more join at once, then you approve</numerusform>
        </translation>
    </message>
    <message>
        <source>Create &amp;invite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;ny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many people can join with this invite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an invite, then send the link or show the code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests waiting for approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members and devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member / device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate valid until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Uses:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>valid for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Donated storage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHT:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create an invite: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the requests: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may join: %1. Revocation list version %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the members: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (revoked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not donating (Settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n session(s), %1 with certified members; in %2, out %3</source>
        <translation>
            <numerusform>%n session, %1 with certified members; in %2, out %3</numerusform>
            <numerusform>%n sessions, %1 with certified members; in %2, out %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) in the routing table</source>
        <translation>
            <numerusform>%n node in the routing table</numerusform>
            <numerusform>%n nodes in the routing table</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) in the routing table; %1 % of %2 lookups succeeded</source>
        <translation>
            <numerusform>%n node in the routing table; %1 % of %2 lookups succeeded</numerusform>
            <numerusform>%n nodes in the routing table; %1 % of %2 lookups succeeded</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot approve %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot deny %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke device %1 of %2? It is cut off from the group at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke %1 and all their devices? They are cut off from the group at once and cannot join again under this name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot revoke: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::GroupSetupPage</name>
    <message>
        <source>&amp;Create a group: you will run it and approve who joins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join with an invite someone gave you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Your group&lt;/h2&gt;&lt;p&gt;Cairn works inside a group of people who trust one operator. Start one, or join one with an invite.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lower-case letters, digits, dots, dashes and underscores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Family, Lab 4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I approve each request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone with an invite joins at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first few join at once, then I approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may &amp;join:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joining at &amp;once:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the cairn://join/… link here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Invite:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your &amp;username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>J&amp;oin group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That username cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a valid invite: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An invite to “%1”, valid until %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Waiting for approval.&lt;/b&gt; %1&lt;br&gt;You can close Cairn: it keeps asking whenever it runs, and opens your group once you are let in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the group: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group&apos;s operator did not answer: %1. Check that you are online and that the invite is recent, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not join: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::MailPage</name>
    <message>
        <source>Inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downloading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do&amp;wnload files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in &amp;folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search sender or subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read your mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — not sent: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;No message selected.&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;From: %2&lt;br&gt;To: %3&lt;br&gt;%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 wrote:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot delete this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot download the files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::MainWindow</name>
    <message>
        <source>Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New mail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Cairn %1&lt;/h3&gt;&lt;p&gt;Private mail and file drops inside your group, end-to-end encrypted, with no central server.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn cannot start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your profile is unlocked, but its node cannot start: %1

Is Cairn (or cairnd) already running with this profile? Close it and start Cairn again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn — %1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are already in group “%1”; the invite was not used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your request to join “%1” as %2 is waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile is already in group “%1”; the invite was not used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show Cairn</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::OnboardingPage</name>
    <message>
        <source>&amp;Create identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to Cairn&lt;/h2&gt;&lt;p&gt;Pick the name others in your group will see, and a passphrase that protects your keys on this computer.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Alice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from a &amp;backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a few words or a long sentence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Too short: use at least %n characters.</source>
        <translation>
            <numerusform>Too short: use at least %n characters.</numerusform>
            <numerusform>Too short: use at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <source>Weak: easy to guess. Add more words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fair. A few more words make it strong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create your identity: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::QrCodeWidget</name>
    <message>
        <source>QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This code is too long to show as a QR code.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::SettingsPage</name>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Donate storage to my group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep encrypted mail and files of others while they are offline. You cannot read them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the profile folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chance that what you send can still be read when storage nodes go away. Higher stores more copies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quota:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Location:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to keep donated storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network and mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen &amp;port (UDP):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target &amp;reliability:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Download folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where received files go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others can check that they talk to this device by comparing this fingerprint, or by scanning the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An encrypted copy of your keys and group membership, to move to a new computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 (%n item(s))</source>
        <translation>
            <numerusform>%1 of %2 (%n item)</numerusform>
            <numerusform>%1 of %2 (%n items)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not donating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot use %1 for storage: the folder cannot be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot use %1 for downloads: the folder cannot be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings not applied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The new language is used from the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::TransfersPage</name>
    <message>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in &amp;folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop this transfer for good?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::UnlockPage</name>
    <message>
        <source>&amp;Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Unlock Cairn&lt;/h2&gt;&lt;p&gt;Enter the passphrase that protects your keys.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open your profile: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cairn::ui::Workspace</name>
    <message>
        <source>&amp;Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Transfers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mail (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 saved in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New mail from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message>
        <source>A mail could not be sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing %1 for %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not sent to %2.

%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending %1 to %2: progress is under Transfers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mail is being sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: it waits in the group until it is read.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Private peer-to-peer mail and file drops.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile directory (default: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An invite link (cairn://join/…) to join a group with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn is already running with this profile (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cairn is already running with this profile and did not take the invite: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cryptography library cannot start on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
