<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Format</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 B/s</source>
        <translation>%1 B/s</translation>
    </message>
    <message>
        <source>%1 KiB/s</source>
        <translation>%1 KiB/s</translation>
    </message>
    <message>
        <source>%1 MiB/s</source>
        <translation>%1 MiB/s</translation>
    </message>
    <message>
        <source>%1 GiB/s</source>
        <translation>%1 GiB/s</translation>
    </message>
    <message>
        <source>%1 TiB/s</source>
        <translation>%1 TiB/s</translation>
    </message>
</context>
<context>
    <name>cairn::ui::BackupDialog</name>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Export a backup</source>
        <translation>Sicherung exportieren</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>Aus einer Sicherung wiederherstellen</translation>
    </message>
    <message>
        <source>The backup holds your keys and your place in the group (and, if you run the group, everything the group&apos;s authority knows). Keep it somewhere safe: with its passphrase, anyone can be you.</source>
        <translation>Die Sicherung enthält Ihre Schlüssel und Ihre Mitgliedschaft in der Gruppe (und, wenn Sie die Gruppe betreiben, alles, was die Zertifizierungsstelle der Gruppe weiß). Bewahren Sie sie sicher auf: Mit ihrer Passphrase kann jeder als Sie auftreten.</translation>
    </message>
    <message>
        <source>Restores your keys and your place in the group on this computer. Stop Cairn on the old computer first: two computers with the same keys confuse the group.</source>
        <translation>Stellt Ihre Schlüssel und Ihre Mitgliedschaft in der Gruppe auf diesem Computer wieder her. Beenden Sie Cairn zuerst auf dem alten Computer: Zwei Computer mit denselben Schlüsseln bringen die Gruppe durcheinander.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Datei:</translation>
    </message>
    <message>
        <source>Backup &amp;passphrase:</source>
        <translation>&amp;Passphrase der Sicherung:</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Re&amp;peat it:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <source>It also becomes the passphrase of this profile on this computer.</source>
        <translation>Sie wird auch die Passphrase dieses Profils auf diesem Computer.</translation>
    </message>
    <message>
        <source>Cairn backups (*.cairn-backup);;All files (*)</source>
        <translation>Cairn-Sicherungen (*.cairn-backup);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Use a long passphrase: the backup file may be copied and guessed at for years.</source>
        <translation>Wählen Sie eine lange Passphrase: Die Sicherungsdatei kann kopiert und jahrelang durchprobiert werden.</translation>
    </message>
    <message>
        <source>Good.</source>
        <translation>Gut.</translation>
    </message>
    <message>
        <source>No backup was written: %1</source>
        <translation>Es wurde keine Sicherung geschrieben: %1</translation>
    </message>
    <message>
        <source>Wrong passphrase for this backup.</source>
        <translation>Falsche Passphrase für diese Sicherung.</translation>
    </message>
    <message>
        <source>Cannot restore: %1</source>
        <translation>Wiederherstellen nicht möglich: %1</translation>
    </message>
</context>
<context>
    <name>cairn::ui::BandwidthChart</name>
    <message>
        <source>Bandwidth over the last hour</source>
        <translation>Bandbreite in der letzten Stunde</translation>
    </message>
    <message>
        <source>No traffic yet</source>
        <translation>Noch kein Datenverkehr</translation>
    </message>
    <message>
        <source>In: %1, out: %2</source>
        <translation>Eingehend: %1, ausgehend: %2</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Eingehend</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Ausgehend</translation>
    </message>
    <message>
        <source>-%1 min</source>
        <translation>-%1 min</translation>
    </message>
    <message>
        <source>-%1 s</source>
        <translation>-%1 s</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
</context>
<context>
    <name>cairn::ui::ComposeDialog</name>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Anhängen…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>New mail</source>
        <translation>Neue Mail</translation>
    </message>
    <message>
        <source>Names, separated by commas</source>
        <translation>Namen, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Anhänge</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Senden (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>A&amp;n:</translation>
    </message>
    <message>
        <source>S&amp;ubject:</source>
        <translation>&amp;Betreff:</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Dateien anhängen</translation>
    </message>
    <message>
        <source>Not in your group: %1.</source>
        <translation>Nicht in Ihrer Gruppe: %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n Datei, %1</numerusform>
            <numerusform>%n Dateien, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>An attached file is gone. Remove it and attach it again.</source>
        <translation>Eine angehängte Datei ist nicht mehr vorhanden. Entfernen Sie sie und hängen Sie sie erneut an.</translation>
    </message>
    <message>
        <source>Too big to send: %1. Ask people in your group to donate more storage, or send less.</source>
        <translation>Zu groß zum Senden: %1. Bitten Sie Personen in Ihrer Gruppe, mehr Speicher zu spenden, oder senden Sie weniger.</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
</context>
<context>
    <name>cairn::ui::ContactList</name>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n Element</numerusform>
            <numerusform>%n Elemente</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop to send %1 to %2, end-to-end encrypted.</source>
        <translation>Loslassen, um %1 Ende-zu-Ende-verschlüsselt an %2 zu senden.</translation>
    </message>
</context>
<context>
    <name>cairn::ui::ContactsModel</name>
    <message>
        <source>%1 (offline)</source>
        <translation>%1 (offline)</translation>
    </message>
    <message>
        <source>%1 is online.</source>
        <translation>%1 ist online.</translation>
    </message>
    <message>
        <source>%1 is offline: what you send waits in the group for them.</source>
        <translation>%1 ist offline: Was Sie senden, wartet in der Gruppe auf diese Person.</translation>
    </message>
    <message>
        <source>Drop files here to send them.</source>
        <translation>Dateien hier ablegen, um sie zu senden.</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
</context>
<context>
    <name>cairn::ui::ContactsPage</name>
    <message>
        <source>&amp;Send files…</source>
        <translation>Dateien &amp;senden…</translation>
    </message>
    <message>
        <source>&amp;Write mail…</source>
        <translation>Mail sch&amp;reiben…</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>Drag files or folders onto a name to send them, end-to-end encrypted. People who are offline get them when they come back.</source>
        <translation>Ziehen Sie Dateien oder Ordner auf einen Namen, um sie Ende-zu-Ende-verschlüsselt zu senden. Personen, die offline sind, erhalten sie, sobald sie wieder online sind.</translation>
    </message>
    <message>
        <source>Cannot load the member list: %1. Retrying.</source>
        <translation>Die Mitgliederliste kann nicht geladen werden: %1. Es wird erneut versucht.</translation>
    </message>
    <message>
        <source>Nobody else is in the group yet. Invite people from the Dashboard (operators) or ask your operator for an invite.</source>
        <translation>Außer Ihnen ist noch niemand in der Gruppe. Laden Sie Personen über die Übersicht ein (Betreiber) oder bitten Sie Ihren Betreiber um eine Einladung.</translation>
    </message>
    <message>
        <source>Send files to %1</source>
        <translation>Dateien an %1 senden</translation>
    </message>
    <message>
        <source>Send &amp;files…</source>
        <translation>&amp;Dateien senden…</translation>
    </message>
    <message>
        <source>Send a f&amp;older…</source>
        <translation>&amp;Ordner senden…</translation>
    </message>
    <message>
        <source>Send a folder to %1</source>
        <translation>Ordner an %1 senden</translation>
    </message>
    <message>
        <source>Write &amp;mail…</source>
        <translation>&amp;Mail schreiben…</translation>
    </message>
</context>
<context>
    <name>cairn::ui::DashboardPage</name>
    <message>
        <source>anyone with an invite joins at once</source>
        <translation>jeder mit Einladung tritt sofort bei</translation>
    </message>
    <message>
        <source>you approve each request</source>
        <translation>Sie genehmigen jede Anfrage</translation>
    </message>
    <message numerus="yes">
        <source>%n more join at once, then you approve</source>
        <translation>
            <numerusform>%n weitere Person tritt sofort bei, danach genehmigen Sie</numerusform>
            <numerusform>%n weitere Personen treten sofort bei, danach genehmigen Sie</numerusform>
        </translation>
    </message>
    <message>
        <source>Create &amp;invite</source>
        <translation>&amp;Einladung erstellen</translation>
    </message>
    <message>
        <source>&amp;Copy link</source>
        <translation>Link ko&amp;pieren</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Genehmigen</translation>
    </message>
    <message>
        <source>De&amp;ny</source>
        <translation>Ab&amp;lehnen</translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation>&amp;Sperren…</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1 Tag</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 Tage</translation>
    </message>
    <message>
        <source>Create an invite, then send the link or show the code</source>
        <translation>Erstellen Sie eine Einladung und senden Sie dann den Link oder zeigen Sie den Code</translation>
    </message>
    <message>
        <source>Requests waiting for approval</source>
        <translation>Anfragen, die auf Genehmigung warten</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>Angefragt</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Members and devices</source>
        <translation>Mitglieder und Geräte</translation>
    </message>
    <message>
        <source>Member / device</source>
        <translation>Mitglied / Gerät</translation>
    </message>
    <message>
        <source>Certificate valid until</source>
        <translation>Zertifikat gültig bis</translation>
    </message>
    <message>
        <source>Invites</source>
        <translation>Einladungen</translation>
    </message>
    <message>
        <source>valid for</source>
        <translation>gültig für</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>Warten auf Genehmigung</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>This node</source>
        <translation>Dieser Knoten</translation>
    </message>
    <message>
        <source>Donated storage:</source>
        <translation>Gespendeter Speicher:</translation>
    </message>
    <message>
        <source>Connections:</source>
        <translation>Verbindungen:</translation>
    </message>
    <message>
        <source>DHT:</source>
        <translation>DHT:</translation>
    </message>
    <message>
        <source>Cannot create an invite: %1</source>
        <translation>Einladung kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>Cannot read the requests: %1</source>
        <translation>Anfragen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>another device</source>
        <translation>weiteres Gerät</translation>
    </message>
    <message>
        <source>new member</source>
        <translation>neues Mitglied</translation>
    </message>
    <message>
        <source>Who may join: %1. Revocation list version %2.</source>
        <translation>Wer beitreten darf: %1. Sperrliste: Version %2.</translation>
    </message>
    <message>
        <source>Cannot read the members: %1</source>
        <translation>Mitglieder können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 (revoked)</source>
        <translation>%1 (gesperrt)</translation>
    </message>
    <message>
        <source>device %1</source>
        <translation>Gerät %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>not donating (Settings)</source>
        <translation>keine Speicherspende (Einstellungen)</translation>
    </message>
    <message>
        <source>Cannot approve %1: %2</source>
        <translation>%1 kann nicht genehmigt werden: %2</translation>
    </message>
    <message>
        <source>Cannot deny %1: %2</source>
        <translation>%1 kann nicht abgelehnt werden: %2</translation>
    </message>
    <message>
        <source>Revoke device %1 of %2? It is cut off from the group at once.</source>
        <translation>Gerät %1 von %2 sperren? Es wird sofort von der Gruppe getrennt.</translation>
    </message>
    <message>
        <source>Revoke %1 and all their devices? They are cut off from the group at once and cannot join again under this name.</source>
        <translation>%1 und alle zugehörigen Geräte sperren? Die Person wird sofort von der Gruppe getrennt und kann unter diesem Namen nicht erneut beitreten.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Cannot revoke: %1</source>
        <translation>Sperren nicht möglich: %1</translation>
    </message>
    <message>
        <source>How many people can join with this invite</source>
        <translation>Wie viele Personen mit dieser Einladung beitreten können</translation>
    </message>
    <message>
        <source>&amp;Uses:</source>
        <translation>&amp;Nutzungen:</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s), %1 with certified members; in %2, out %3</source>
        <translation>
            <numerusform>%n Sitzung, %1 mit zertifizierten Mitgliedern; eingehend %2, ausgehend %3</numerusform>
            <numerusform>%n Sitzungen, %1 mit zertifizierten Mitgliedern; eingehend %2, ausgehend %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) in the routing table</source>
        <translation>
            <numerusform>%n Knoten in der Routing-Tabelle</numerusform>
            <numerusform>%n Knoten in der Routing-Tabelle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) in the routing table; %1 % of %2 lookups succeeded</source>
        <translation>
            <numerusform>%n Knoten in der Routing-Tabelle; %1 % von %2 Suchen erfolgreich</numerusform>
            <numerusform>%n Knoten in der Routing-Tabelle; %1 % von %2 Suchen erfolgreich</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cairn::ui::GroupSetupPage</name>
    <message>
        <source>&amp;Create a group: you will run it and approve who joins</source>
        <translation>Gruppe &amp;erstellen: Sie betreiben sie und genehmigen, wer beitritt</translation>
    </message>
    <message>
        <source>&amp;Join with an invite someone gave you</source>
        <translation>Mit einer erhaltenen Einladung &amp;beitreten</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Your group&lt;/h2&gt;&lt;p&gt;Cairn works inside a group of people who trust one operator. Start one, or join one with an invite.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Ihre Gruppe&lt;/h2&gt;&lt;p&gt;Cairn funktioniert innerhalb einer Gruppe von Personen, die einem gemeinsamen Betreiber vertrauen. Gründen Sie eine Gruppe oder treten Sie einer mit einer Einladung bei.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Lower-case letters, digits, dots, dashes and underscores</source>
        <translation>Kleinbuchstaben, Ziffern, Punkte, Bindestriche und Unterstriche</translation>
    </message>
    <message>
        <source>e.g. Family, Lab 4</source>
        <translation>z. B. Familie, Labor 4</translation>
    </message>
    <message>
        <source>I approve each request</source>
        <translation>Ich genehmige jede Anfrage</translation>
    </message>
    <message>
        <source>Anyone with an invite joins at once</source>
        <translation>Jeder mit Einladung tritt sofort bei</translation>
    </message>
    <message>
        <source>The first few join at once, then I approve</source>
        <translation>Die Ersten treten sofort bei, danach genehmige ich</translation>
    </message>
    <message>
        <source> people</source>
        <translation> Personen</translation>
    </message>
    <message>
        <source>Group &amp;name:</source>
        <translation>Gruppen&amp;name:</translation>
    </message>
    <message>
        <source>Who may &amp;join:</source>
        <translation>Wer &amp;darf beitreten:</translation>
    </message>
    <message>
        <source>Joining at &amp;once:</source>
        <translation>&amp;Sofortbeitritt für:</translation>
    </message>
    <message>
        <source>Paste the cairn://join/… link here</source>
        <translation>cairn://join/…-Link hier einfügen</translation>
    </message>
    <message>
        <source>&amp;Invite:</source>
        <translation>Ein&amp;ladung:</translation>
    </message>
    <message>
        <source>Your &amp;username:</source>
        <translation>Ihr Ben&amp;utzername:</translation>
    </message>
    <message>
        <source>C&amp;reate group</source>
        <translation>&amp;Gruppe erstellen</translation>
    </message>
    <message>
        <source>J&amp;oin group</source>
        <translation>Gruppe bei&amp;treten</translation>
    </message>
    <message>
        <source>That username cannot be used: %1</source>
        <translation>Dieser Benutzername kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>This is not a valid invite: %1</source>
        <translation>Dies ist keine gültige Einladung: %1</translation>
    </message>
    <message>
        <source>An invite to “%1”, valid until %2.</source>
        <translation>Eine Einladung zu „%1“, gültig bis %2.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Waiting for approval.&lt;/b&gt; %1&lt;br&gt;You can close Cairn: it keeps asking whenever it runs, and opens your group once you are let in.</source>
        <translation>&lt;b&gt;Warten auf Genehmigung.&lt;/b&gt; %1&lt;br&gt;Sie können Cairn schließen: Cairn fragt bei jedem Start erneut nach und öffnet Ihre Gruppe, sobald Sie aufgenommen wurden.</translation>
    </message>
    <message>
        <source>Could not create the group: %1</source>
        <translation>Die Gruppe konnte nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>The group&apos;s operator did not answer: %1. Check that you are online and that the invite is recent, then try again.</source>
        <translation>Der Betreiber der Gruppe hat nicht geantwortet: %1. Prüfen Sie, ob Sie online sind und ob die Einladung aktuell ist, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>Could not join: %1</source>
        <translation>Beitritt nicht möglich: %1</translation>
    </message>
</context>
<context>
    <name>cairn::ui::MailPage</name>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Papierkorb</translation>
    </message>
    <message>
        <source>not downloaded</source>
        <translation>nicht heruntergeladen</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>wird heruntergeladen</translation>
    </message>
    <message>
        <source>saved</source>
        <translation>gespeichert</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation>&amp;Antworten</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Do&amp;wnload files</source>
        <translation>Dateien her&amp;unterladen</translation>
    </message>
    <message>
        <source>Show in &amp;folder</source>
        <translation>In &amp;Ordner zeigen</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Search sender or subject</source>
        <translation>Absender oder Betreff suchen</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Anhänge</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>To</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Cannot read your mailbox</source>
        <translation>Ihr Postfach kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation>Cairn</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n Datei</numerusform>
            <numerusform>%n Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
    <message>
        <source>%1 — not sent: %2</source>
        <translation>%1 — nicht gesendet: %2</translation>
    </message>
    <message>
        <source>%1 — sending…</source>
        <translation>%1 — wird gesendet…</translation>
    </message>
    <message>
        <source>&lt;i&gt;No message selected.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Keine Nachricht ausgewählt.&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;From: %2&lt;br&gt;To: %3&lt;br&gt;%4</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Von: %2&lt;br&gt;An: %3&lt;br&gt;%4</translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation>%1 — %2, %3</translation>
    </message>
    <message>
        <source>Re: %1</source>
        <translation>Re: %1</translation>
    </message>
    <message>
        <source>%1 wrote:</source>
        <translation>%1 schrieb:</translation>
    </message>
    <message>
        <source>Cannot delete this message</source>
        <translation>Diese Nachricht kann nicht gelöscht werden</translation>
    </message>
    <message>
        <source>Cannot download the files</source>
        <translation>Die Dateien können nicht heruntergeladen werden</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>cairn::ui::MainWindow</name>
    <message>
        <source>Cairn</source>
        <translation>Cairn</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New mail…</source>
        <translation>&amp;Neue Mail…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Cairn</source>
        <translation>Ü&amp;ber Cairn</translation>
    </message>
    <message>
        <source>About Cairn</source>
        <translation>Über Cairn</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Cairn %1&lt;/h3&gt;&lt;p&gt;Private mail and file drops inside your group, end-to-end encrypted, with no central server.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Cairn %1&lt;/h3&gt;&lt;p&gt;Private Mail und Dateisendungen innerhalb Ihrer Gruppe, Ende-zu-Ende-verschlüsselt, ohne zentralen Server.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cairn cannot start</source>
        <translation>Cairn kann nicht starten</translation>
    </message>
    <message>
        <source>Your profile is unlocked, but its node cannot start: %1

Is Cairn (or cairnd) already running with this profile? Close it and start Cairn again.</source>
        <translation>Ihr Profil ist entsperrt, aber sein Knoten kann nicht starten: %1

Läuft Cairn (oder cairnd) bereits mit diesem Profil? Beenden Sie es und starten Sie Cairn erneut.</translation>
    </message>
    <message>
        <source>The node did not start: %1</source>
        <translation>Der Knoten wurde nicht gestartet: %1</translation>
    </message>
    <message>
        <source>Cairn — %1</source>
        <translation>Cairn — %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Cairn — %1 in %2</source>
        <translation>Cairn — %1 in %2</translation>
    </message>
    <message>
        <source>You are already in group “%1”; the invite was not used.</source>
        <translation>Sie sind bereits in der Gruppe „%1“; die Einladung wurde nicht verwendet.</translation>
    </message>
    <message>
        <source>Your request to join “%1” as %2 is waiting.</source>
        <translation>Ihre Beitrittsanfrage für „%1“ als %2 wartet.</translation>
    </message>
    <message>
        <source>&amp;Show Cairn</source>
        <translation>Cairn &amp;anzeigen</translation>
    </message>
    <message>
        <source>This profile is already in group “%1”; the invite was not used.</source>
        <translation>Dieses Profil ist bereits in der Gruppe „%1“; die Einladung wurde nicht verwendet.</translation>
    </message>
</context>
<context>
    <name>cairn::ui::OnboardingPage</name>
    <message>
        <source>&amp;Create identity</source>
        <translation>&amp;Identität erstellen</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to Cairn&lt;/h2&gt;&lt;p&gt;Pick the name others in your group will see, and a passphrase that protects your keys on this computer.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Willkommen bei Cairn&lt;/h2&gt;&lt;p&gt;Wählen Sie den Namen, den andere in Ihrer Gruppe sehen, und eine Passphrase, die Ihre Schlüssel auf diesem Computer schützt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>e.g. Alice</source>
        <translation>z. B. Alice</translation>
    </message>
    <message>
        <source>Display &amp;name:</source>
        <translation>Anzeige&amp;name:</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>&amp;Repeat passphrase:</source>
        <translation>Passphrase &amp;wiederholen:</translation>
    </message>
    <message>
        <source>Use a few words or a long sentence.</source>
        <translation>Verwenden Sie einige Wörter oder einen langen Satz.</translation>
    </message>
    <message numerus="yes">
        <source>Too short: use at least %n characters.</source>
        <translation>
            <numerusform>Zu kurz: Verwenden Sie mindestens %n Zeichen.</numerusform>
            <numerusform>Zu kurz: Verwenden Sie mindestens %n Zeichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Weak: easy to guess. Add more words.</source>
        <translation>Schwach: leicht zu erraten. Fügen Sie weitere Wörter hinzu.</translation>
    </message>
    <message>
        <source>Fair. A few more words make it strong.</source>
        <translation>Mittel. Einige weitere Wörter machen sie stark.</translation>
    </message>
    <message>
        <source>Strong.</source>
        <translation>Stark.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Die beiden Passphrasen stimmen nicht überein.</translation>
    </message>
    <message>
        <source>Could not create your identity: %1</source>
        <translation>Ihre Identität konnte nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>Restore from a &amp;backup…</source>
        <translation>Aus einer &amp;Sicherung wiederherstellen…</translation>
    </message>
</context>
<context>
    <name>cairn::ui::QrCodeWidget</name>
    <message>
        <source>QR code</source>
        <translation>QR-Code</translation>
    </message>
    <message>
        <source>This code is too long to show as a QR code.</source>
        <translation>Dieser Code ist zu lang, um als QR-Code angezeigt zu werden.</translation>
    </message>
</context>
<context>
    <name>cairn::ui::SettingsPage</name>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>&amp;Donate storage to my group</source>
        <translation>Speicher für meine Gruppe &amp;spenden</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>Ü&amp;bernehmen</translation>
    </message>
    <message>
        <source>Keep encrypted mail and files of others while they are offline. You cannot read them.</source>
        <translation>Verschlüsselte Mails und Dateien anderer aufbewahren, während diese offline sind. Sie können sie nicht lesen.</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>In the profile folder</source>
        <translation>Im Profilordner</translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation>Beliebiger freier Port</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>The chance that what you send can still be read when storage nodes go away. Higher stores more copies.</source>
        <translation>Die Wahrscheinlichkeit, dass Gesendetes noch lesbar ist, wenn Speicherknoten wegfallen. Ein höherer Wert speichert mehr Kopien.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>&amp;Quota:</source>
        <translation>Konti&amp;ngent:</translation>
    </message>
    <message>
        <source>Used now:</source>
        <translation>Derzeit belegt:</translation>
    </message>
    <message>
        <source>&amp;Location:</source>
        <translation>Speicher&amp;ort:</translation>
    </message>
    <message>
        <source>Where to keep donated storage</source>
        <translation>Ordner für gespendeten Speicher</translation>
    </message>
    <message>
        <source>Network and mail</source>
        <translation>Netzwerk und Mail</translation>
    </message>
    <message>
        <source>Listen &amp;port (UDP):</source>
        <translation>Empfangs&amp;port (UDP):</translation>
    </message>
    <message>
        <source>Target &amp;reliability:</source>
        <translation>Angestrebte &amp;Zuverlässigkeit:</translation>
    </message>
    <message>
        <source>&amp;Download folder:</source>
        <translation>Do&amp;wnload-Ordner:</translation>
    </message>
    <message>
        <source>Where received files go</source>
        <translation>Ordner für empfangene Dateien</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>Sp&amp;rache:</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identität</translation>
    </message>
    <message>
        <source>Others can check that they talk to this device by comparing this fingerprint, or by scanning the code.</source>
        <translation>Andere können durch Vergleichen dieses Fingerabdrucks oder durch Scannen des Codes prüfen, dass sie mit diesem Gerät kommunizieren.</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 (%n item(s))</source>
        <translation>
            <numerusform>%1 von %2 (%n Element)</numerusform>
            <numerusform>%1 von %2 (%n Elemente)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not donating</source>
        <translation>Keine Speicherspende</translation>
    </message>
    <message>
        <source>Cannot use %1 for storage: the folder cannot be created.</source>
        <translation>%1 kann nicht als Speicherort verwendet werden: Der Ordner kann nicht erstellt werden.</translation>
    </message>
    <message>
        <source>Cannot use %1 for downloads: the folder cannot be created.</source>
        <translation>%1 kann nicht für Downloads verwendet werden: Der Ordner kann nicht erstellt werden.</translation>
    </message>
    <message>
        <source>Settings not applied: %1</source>
        <translation>Einstellungen nicht übernommen: %1</translation>
    </message>
    <message>
        <source>Saved. The new language is used from the next start.</source>
        <translation>Gespeichert. Die neue Sprache wird ab dem nächsten Start verwendet.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>E&amp;xport backup…</source>
        <translation>Sicherung e&amp;xportieren…</translation>
    </message>
    <message>
        <source>An encrypted copy of your keys and group membership, to move to a new computer</source>
        <translation>Eine verschlüsselte Kopie Ihrer Schlüssel und Gruppenmitgliedschaft, für den Umzug auf einen neuen Computer</translation>
    </message>
    <message>
        <source>Backup written.</source>
        <translation>Sicherung geschrieben.</translation>
    </message>
</context>
<context>
    <name>cairn::ui::TransfersPage</name>
    <message>
        <source>starting</source>
        <translation>wird gestartet</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>received</source>
        <translation>empfangen</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Show in &amp;folder</source>
        <translation>In &amp;Ordner zeigen</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>Erledigte entfe&amp;rnen</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Übertragungen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n Datei</numerusform>
            <numerusform>%n Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Cancel transfer</source>
        <translation>Übertragung abbrechen</translation>
    </message>
    <message>
        <source>Stop this transfer for good?</source>
        <translation>Diese Übertragung endgültig abbrechen?</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Übertragung</translation>
    </message>
</context>
<context>
    <name>cairn::ui::UnlockPage</name>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Entsperren</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Unlock Cairn&lt;/h2&gt;&lt;p&gt;Enter the passphrase that protects your keys.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Cairn entsperren&lt;/h2&gt;&lt;p&gt;Geben Sie die Passphrase ein, die Ihre Schlüssel schützt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Wrong passphrase. Try again.</source>
        <translation>Falsche Passphrase. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Cannot open your profile: %1</source>
        <translation>Ihr Profil kann nicht geöffnet werden: %1</translation>
    </message>
</context>
<context>
    <name>cairn::ui::Workspace</name>
    <message>
        <source>&amp;Contacts</source>
        <translation>&amp;Kontakte</translation>
    </message>
    <message>
        <source>&amp;Mail</source>
        <translation>&amp;Mail</translation>
    </message>
    <message>
        <source>&amp;Transfers</source>
        <translation>Über&amp;tragungen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Mail (%1)</source>
        <translation>&amp;Mail (%1)</translation>
    </message>
    <message>
        <source>Files received</source>
        <translation>Dateien empfangen</translation>
    </message>
    <message>
        <source>%1 saved in %2</source>
        <translation>%1 gespeichert in %2</translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation>Cairn</translation>
    </message>
    <message>
        <source>Files from %1</source>
        <translation>Dateien von %1</translation>
    </message>
    <message>
        <source>New mail from %1</source>
        <translation>Neue Mail von %1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n Datei</numerusform>
            <numerusform>%n Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>A mail could not be sent: %1</source>
        <translation>Eine Mail konnte nicht gesendet werden: %1</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>Übers&amp;icht</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n Element</numerusform>
            <numerusform>%n Elemente</numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing %1 for %2…</source>
        <translation>%1 für %2 wird vorbereitet…</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Nicht gesendet</translation>
    </message>
    <message>
        <source>%1 was not sent to %2.

%3</source>
        <translation>%1 wurde nicht an %2 gesendet.

%3</translation>
    </message>
    <message>
        <source>Sending %1 to %2: progress is under Transfers.</source>
        <translation>%1 wird an %2 gesendet: Den Fortschritt sehen Sie unter Übertragungen.</translation>
    </message>
    <message>
        <source>Mail is being sent.</source>
        <translation>Mail wird gesendet.</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>%1: it waits in the group until it is read.</source>
        <translation>%1: wartet in der Gruppe, bis es gelesen wird.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Private peer-to-peer mail and file drops.</source>
        <translation>Private Peer-to-Peer-Mail und Dateisendungen.</translation>
    </message>
    <message>
        <source>Profile directory (default: %1).</source>
        <translation>Profilverzeichnis (Standard: %1).</translation>
    </message>
    <message>
        <source>An invite link (cairn://join/…) to join a group with.</source>
        <translation>Ein Einladungslink (cairn://join/…), um einer Gruppe beizutreten.</translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation>Cairn</translation>
    </message>
    <message>
        <source>The cryptography library cannot start on this computer.</source>
        <translation>Die Kryptografiebibliothek kann auf diesem Computer nicht starten.</translation>
    </message>
    <message>
        <source>Cairn is already running with this profile (%1).</source>
        <translation>Cairn läuft bereits mit diesem Profil (%1).</translation>
    </message>
    <message>
        <source>Cairn is already running with this profile and did not take the invite: %1</source>
        <translation>Cairn läuft bereits mit diesem Profil und hat die Einladung nicht angenommen: %1</translation>
    </message>
</context>
</TS>
