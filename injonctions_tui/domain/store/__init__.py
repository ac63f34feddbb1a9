"""The encrypted base and what keeps it safe.

Storage, migrations, passphrase, rekey, instance lock, backup, settings, the user, the audit trail.

- `attempts`: refused passphrases on the command line: each waits longer, all are recorded (issue 15).
  Public: FAILURE_DELAYS, failures, refused, settle.
- `audit`: the audit trail: who did what, when, to which record (issue 8 extends it).
  Public: record.
- `backup`: encrypted backups, their check, the restore, and the passphrase change (issue 8).
  Public: BackupInfo, RestoreInfo, default_backup_path, backup, verify_backup, restore, last_backup_at,
  backup_reminder.
- `instance_lock`: one program at a time on a database: a second window is told, not let in.
  Public: InstanceLocked, lock_path, InstanceLock, acquire, held_here, hold, is_locked.
- `integrity`: tamper-evidence: HMACs of final reports, the audit trail as a hash chain, their check (issue 15).
  Public: UNPROVEN, Verdict, keys_for, keys_from, report_mac, event_mac, seal_report, append_events, permit,
  verify_base, verify_report.
- `journal`: reading the audit trail (writing is audit.py): for the screen and `injonctions audit`.
  Public: JournalRow, journal_rows, journal_json, journal_text.
- `migrations`: schema versions, applied in order at start-up right after unlocking.
  Public: stored_version, current_version, upgrade.
- `output_files`: every file written for the user: never the base nor its companions, never a device, never
  over an existing file unless forced; owner-only folders (issue 15).
  Public: OutputRefused, belongs_to_a_base, check_output, write_output, write_numbered, make_private_dirs, os_error_message.
- `passphrase`: rules for a new passphrase, shared by the wizard and `injonctions init`.
  Public: weakness, check_new_passphrase, strength_label.
- `professionals`: the user of this installation and the habilitations that allow them to act.
  Public: current_user, require_user, get_professional, create_user, habilitation_on, latest_habilitation,
  record_habilitation, check_habilitated.
- `rekey`: changing the passphrase of the base (SQLCipher rekey) without ever losing it.
  Public: change_passphrase.
- `settings`: settings kept in the encrypted database: the court, its permanences, the amounts.
  Public: Permanence, permanence_from_text, CourtSettings, load_court, save_court, is_configured, lock_minutes,
  save_lock_minutes, save_court_and_lock, first_configuration.
- `storage`: the encrypted database: key derivation, creation, unlocking.
  Public: KdfParams, kdf_path, pending_kdf_path, fsync_dir, derive_key, derive_key_for, check_database_file,
  key_opens, check_integrity, key_digest, open_with_key, open_database, create_database, own_connection,
  open_base_path, is_encrypted_file.
- `storage_errors`: what can go wrong with the files and the disk, said in French.
  Public: DamagedDatabase, StorageUnavailable, describe_os_error, explain_database_error.
"""

__all__ = ["attempts", "audit", "backup", "instance_lock", "integrity", "journal", "migrations", "output_files", "passphrase", "professionals", "rekey", "settings", "storage", "storage_errors"]
